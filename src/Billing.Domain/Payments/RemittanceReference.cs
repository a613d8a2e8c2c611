namespace Billing.Domain.Payments;

/// <summary>
/// Finds the RF creditor reference a payer quoted in the free text of a transfer ("Invoice
/// RF18 5390 0754 7034, thanks"). Payers type it in the electronic form or in the printed groups
/// of four, so after "RF" and two digits at the start of a word the search follows groups of four
/// letters or digits separated by spaces, up to a shorter last group; a group of more than four
/// characters is another word. Of the readings that end at a group boundary the longest one whose
/// check digits match wins, so a year typed after the reference ("… 7034 2026") is dropped by the
/// check. A reference with wrong check digits is not found: the match must be certain.
/// </summary>
public static class RemittanceReference
{
    /// <summary>Text beyond this is not searched: remittance information is 140 characters per line.</summary>
    public const int MaxSearchedLength = 2_000;

    private const int GroupLength = 4;

    /// <summary>The first valid reference in <paramref name="text"/>, or null.</summary>
    public static CreditorReference? Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var searched = text.Length > MaxSearchedLength ? text[..MaxSearchedLength] : text;
        for (var start = 0; start + 4 <= searched.Length; start++)
        {
            if (StartsReference(searched, start) && Longest(Readings(searched, start)) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The structured reference when it is a valid RF reference; otherwise the first valid one in <paramref name="text"/>.</summary>
    public static CreditorReference? Find(string? structured, string? text) =>
        CreditorReference.TryParse(structured, out var reference, out _) ? reference : Find(text);

    private static bool StartsReference(string text, int start) =>
        (start == 0 || !char.IsAsciiLetterOrDigit(text[start - 1]))
        && (text[start] is 'R' or 'r') && (text[start + 1] is 'F' or 'f')
        && char.IsAsciiDigit(text[start + 2]) && char.IsAsciiDigit(text[start + 3]);

    /// <summary>The compact readings from <paramref name="start"/> that end at a group boundary, shortest first.</summary>
    private static List<string> Readings(string text, int start)
    {
        var readings = new List<string>();
        var first = Word(text, start);
        var compact = first;
        readings.Add(compact);
        if (first.Length != GroupLength)
        {
            return readings; // the electronic form, one word
        }

        var position = start + first.Length;
        var last = first;
        while (last.Length == GroupLength && compact.Length < CreditorReference.MaxLength)
        {
            var next = position;
            while (next < text.Length && text[next] == ' ')
            {
                next++;
            }

            last = next > position ? Word(text, next) : string.Empty;
            if (last.Length is 0 or > GroupLength)
            {
                break;
            }

            compact += last;
            readings.Add(compact);
            position = next + last.Length;
        }

        return readings;
    }

    private static string Word(string text, int start)
    {
        var end = start;
        while (end < text.Length && char.IsAsciiLetterOrDigit(text[end]) && end - start <= CreditorReference.MaxLength)
        {
            end++;
        }

        return text[start..end];
    }

    private static CreditorReference? Longest(List<string> readings)
    {
        for (var i = readings.Count - 1; i >= 0; i--)
        {
            if (readings[i].Length <= CreditorReference.MaxLength && CreditorReference.TryParse(readings[i], out var reference, out _))
            {
                return reference;
            }
        }

        return null;
    }
}
