namespace Billing.Domain;

/// <summary>
/// Enum values as the API and storage spell them: the member name in lower case. Parsing accepts
/// names only; <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> alone would also take
/// "2" or "weekly,monthly", which are not names of a single value.
/// </summary>
internal static class LowerCaseNames
{
    private const int MaxShownLength = 32;

    public static string Format<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Enum.IsDefined(value)
            ? value.ToString().ToLowerInvariant()
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a {typeof(TEnum).Name}.");

    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        var name = text?.Trim();
        return !string.IsNullOrEmpty(name)
            && name.All(char.IsAsciiLetter)
            && Enum.TryParse(name, ignoreCase: true, out value)
            && Enum.IsDefined(value);
    }

    public static TEnum Parse<TEnum>(string text, string what)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out TEnum value))
        {
            return value;
        }

        var shown = text.Length > MaxShownLength ? text[..MaxShownLength] + "…" : text;
        throw new FormatException($"Unknown {what} '{shown}'; use one of {string.Join(", ", Names<TEnum>())}.");
    }

    public static IEnumerable<string> Names<TEnum>()
        where TEnum : struct, Enum => Enum.GetValues<TEnum>().Select(Format);
}
