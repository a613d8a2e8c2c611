using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Billing.Domain.Payments;

/// <summary>
/// How a credit note is numbered: its own prefix, the four-digit year, a dash and a sequence
/// padded to six digits, e.g. "CN-2026-000001". Credit notes have their own sequence, separate
/// from invoices (gapless per issuer and year, which is the store's business), and their own
/// prefix so a credit note is never mistaken for an invoice. The spelling rules are those of
/// <see cref="InvoiceNumberFormat"/>, which formats them: a number is safe in file names, URLs and CSV.
/// </summary>
public sealed class CreditNoteNumberFormat : IEquatable<CreditNoteNumberFormat>
{
    public const int MaxPrefixLength = 16;
    public const int SequenceWidth = 6;
    public const long MaxSequence = InvoiceNumberFormat.MaxNumber;

    /// <summary>The configuration field a prefix comes from, for messages.</summary>
    public const string PrefixField = "credit_note_prefix";

    /// <summary>Prefix, year, dash and the widest sequence, with room for padding on top.</summary>
    private const int MaxNumberTextLength = MaxPrefixLength + 4 + 1 + 12 + 8;

    private const string SafeSymbols = "-_/.";

    private readonly InvoiceNumberFormat pattern;

    private CreditNoteNumberFormat(string prefix)
    {
        Prefix = prefix;
        pattern = InvoiceNumberFormat.Parse(prefix + "{year}-{number:0" + SequenceWidth.ToString(CultureInfo.InvariantCulture) + "}");
    }

    /// <summary>"CN-", giving CN-2026-000001.</summary>
    public static CreditNoteNumberFormat Default { get; } = Create("CN-");

    public string Prefix { get; }

    /// <summary>Throws <see cref="ArgumentException"/> with the reason <see cref="TryCreate"/> gives.</summary>
    public static CreditNoteNumberFormat Create(string prefix) =>
        TryCreate(prefix, out var format, out var reason) ? format : throw new ArgumentException(reason, nameof(prefix));

    /// <summary>A prefix of 1..<see cref="MaxPrefixLength"/> characters: a letter first, then ASCII letters, digits and - _ / .</summary>
    public static bool TryCreate(string? prefix, [NotNullWhen(true)] out CreditNoteNumberFormat? format, [NotNullWhen(false)] out string? reason)
    {
        format = null;
        reason = prefix switch
        {
            null or "" => $"{PrefixField} is required",
            { Length: > MaxPrefixLength } => $"{PrefixField} must be at most {MaxPrefixLength} characters (got {prefix.Length})",
            _ when !char.IsAsciiLetter(prefix[0]) => $"{PrefixField} must start with a letter",
            _ when prefix.Any(c => !char.IsAsciiLetterOrDigit(c) && !SafeSymbols.Contains(c, StringComparison.Ordinal)) =>
                $"{PrefixField} may only contain ASCII letters, digits, '-', '_', '/' and '.'",
            _ => null,
        };
        format = reason is null ? new CreditNoteNumberFormat(prefix!) : null;
        return format is not null;
    }

    /// <summary>The number of the <paramref name="sequence"/>-th credit note (from 1) of <paramref name="year"/>.</summary>
    public string Format(int year, long sequence) => pattern.Format(year, sequence);

    /// <summary>Throws <see cref="FormatException"/> with the reason <see cref="TryParseNumber"/> gives.</summary>
    public (int Year, long Sequence) ParseNumber(string text) =>
        TryParseNumber(text, out var year, out var sequence, out var reason) ? (year, sequence) : throw new FormatException(reason);

    /// <summary>
    /// Reads back a number this format spells: exactly what <see cref="Format"/> gives for some
    /// year and sequence, so "CN-2026-0000001" (padded wider than needed) is not one.
    /// </summary>
    public bool TryParseNumber(string? text, out int year, out long sequence, [NotNullWhen(false)] out string? reason)
    {
        year = 0;
        sequence = 0;
        reason = text switch
        {
            null or "" => "credit note number is required",
            { Length: > MaxNumberTextLength } => $"credit note number must be at most {MaxNumberTextLength} characters (got {text.Length})",
            _ when !text.StartsWith(Prefix, StringComparison.Ordinal) => $"credit note number must start with {Prefix}",
            _ => ReadYearAndSequence(text, out year, out sequence),
        };
        return reason is null;
    }

    public bool Equals(CreditNoteNumberFormat? other) => other is not null && string.Equals(Prefix, other.Prefix, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as CreditNoteNumberFormat);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Prefix);

    public override string ToString() => pattern.Pattern;

    private string? ReadYearAndSequence(string text, out int year, out long sequence)
    {
        sequence = 0;
        var yearText = text.AsSpan(Prefix.Length, Math.Min(4, text.Length - Prefix.Length));
        if (yearText.Length != 4 || yearText.ContainsAnyExceptInRange('0', '9')
            || !int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out year) || year < 1)
        {
            year = 0;
            return $"credit note number must have a four-digit year after {Prefix}";
        }

        // The number's digits come last in this format; Around gives the text before them.
        var before = pattern.Around(year).Before;
        var digits = text.AsSpan(Math.Min(before.Length, text.Length));
        if (text.StartsWith(before, StringComparison.Ordinal)
            && digits.Length >= SequenceWidth && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out sequence)
            && sequence is >= 1 and <= MaxSequence
            && pattern.Format(year, sequence).Length == text.Length)
        {
            return null;
        }

        var example = pattern.Format(year, 1);
        year = 0;
        sequence = 0;
        return $"credit note number must be {before} followed by a sequence of {SequenceWidth} or more digits from 1, as in {example}";
    }
}
