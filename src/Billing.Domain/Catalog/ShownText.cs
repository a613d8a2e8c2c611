namespace Billing.Domain;

/// <summary>
/// Rejected input echoed in a message is cut short, so an oversized value cannot flood a 400
/// answer or a log line while the client still recognises what it sent.
/// </summary>
internal static class ShownText
{
    /// <summary>The text when it has at most <paramref name="maxLength"/> characters; otherwise its first ones and "…".</summary>
    public static string Clip(string text, int maxLength) => text.Length > maxLength ? text[..maxLength] + "…" : text;
}
