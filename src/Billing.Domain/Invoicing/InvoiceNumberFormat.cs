using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Billing.Domain;

/// <summary>
/// How an invoice number is spelled: literal text around placeholders <c>{year}</c> (four digits)
/// and <c>{number}</c>, optionally zero-padded as <c>{number:06}</c> or, in Python's spelling,
/// <c>{number:04d}</c>. Exactly one <c>{number}</c>, at most one <c>{year}</c>; literal text is
/// ASCII letters, digits and <c>- _ / .</c>, so a number is safe in file names, URLs and CSV.
/// Numbers wider than the padding are printed in full. The sequence behind <c>{number}</c> is
/// gapless per issuer and year; without <c>{year}</c> (<see cref="IncludesYear"/> false) it must
/// not restart each year, or numbers would repeat.
/// </summary>
public sealed class InvoiceNumberFormat : IEquatable<InvoiceNumberFormat>
{
    public const int MaxPatternLength = 64;
    public const int MaxPaddingWidth = 12;
    public const long MaxNumber = 999_999_999_999;
    public const int MaxYear = 9999;

    /// <summary>The configuration field a pattern comes from, for error messages.</summary>
    public const string PatternField = "invoice_number_format";

    private const string SafeSymbols = "-_/.";
    private const int MaxShownPlaceholderLength = 16;

    private readonly IReadOnlyList<Segment> segments;

    private InvoiceNumberFormat(string pattern, IReadOnlyList<Segment> segments)
    {
        Pattern = pattern;
        this.segments = segments;
        IncludesYear = segments.Any(segment => segment.Kind == SegmentKind.Year);
    }

    /// <summary><c>INV-{year}-{number:06}</c>, e.g. INV-2025-000042.</summary>
    public static InvoiceNumberFormat Default { get; } = Parse("INV-{year}-{number:06}");

    public string Pattern { get; }

    public bool IncludesYear { get; }

    /// <summary>Throws <see cref="FormatException"/> with the message <see cref="TryParse"/> would give.</summary>
    public static InvoiceNumberFormat Parse(string pattern) =>
        TryParse(pattern, out var format, out var error) ? format : throw new FormatException(error.Message);

    public static bool TryParse(
        string? pattern, [NotNullWhen(true)] out InvoiceNumberFormat? format, [NotNullWhen(false)] out FieldError? error)
    {
        var segments = new List<Segment>();
        var problem = pattern switch
        {
            null or "" => "is required",
            { Length: > MaxPatternLength } => $"must be at most {MaxPatternLength} characters (got {pattern.Length})",
            _ => ReadSegments(pattern, segments) ?? CountPlaceholders(segments),
        };
        error = problem is null ? null : new FieldError(PatternField, $"{PatternField} {problem}");
        format = problem is null ? new InvoiceNumberFormat(pattern!, segments) : null;
        return format is not null;
    }

    /// <summary>The number for the <paramref name="number"/>-th invoice (from 1) of <paramref name="year"/>.</summary>
    public string Format(int year, long number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, MaxYear);
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, MaxNumber);
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            text.Append(segment.Kind switch
            {
                SegmentKind.Year => year.ToString("D4", CultureInfo.InvariantCulture),
                SegmentKind.Number => number.ToString("D" + segment.Width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
                _ => segment.Literal,
            });
        }

        return text.ToString();
    }

    /// <summary>
    /// The number's text for <paramref name="year"/> split around its digits: what comes before,
    /// the digits' padding width (0: none) and what comes after, so that a store can build the text
    /// where the number is drawn. <c>Before + number padded to Width + After</c> equals <see cref="Format"/>.
    /// </summary>
    public (string Before, int Width, string After) Around(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, MaxYear);
        var before = new StringBuilder();
        var after = new StringBuilder();
        var width = -1;
        foreach (var segment in segments)
        {
            var text = width < 0 ? before : after;
            switch (segment.Kind)
            {
                case SegmentKind.Number:
                    width = segment.Width;
                    break;
                case SegmentKind.Year:
                    text.Append(year.ToString("D4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(segment.Literal);
                    break;
            }
        }

        if (width < 0)
        {
            throw new InvariantViolationException($"The invoice number format '{Pattern}' has no {{number}}.");
        }

        return (before.ToString(), width, after.ToString());
    }

    public bool Equals(InvoiceNumberFormat? other) => other is not null && string.Equals(Pattern, other.Pattern, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as InvoiceNumberFormat);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Pattern);

    public override string ToString() => Pattern;

    /// <summary>Splits the pattern into literals and placeholders; returns what is wrong, or null.</summary>
    private static string? ReadSegments(string pattern, List<Segment> segments)
    {
        var literal = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '{')
            {
                var close = pattern.IndexOf('}', i + 1);
                var nestedOpen = pattern.IndexOf('{', i + 1);
                if (close < 0 || (nestedOpen >= 0 && nestedOpen < close))
                {
                    return $"has unbalanced braces: the '{{' at position {i + 1} is not closed";
                }

                AddLiteral(segments, literal);
                var problem = ReadPlaceholder(pattern[(i + 1)..close], segments);
                if (problem is not null)
                {
                    return problem;
                }

                i = close;
            }
            else if (c == '}')
            {
                return $"has unbalanced braces: the '}}' at position {i + 1} closes nothing";
            }
            else if (char.IsAsciiLetterOrDigit(c) || SafeSymbols.Contains(c, StringComparison.Ordinal))
            {
                literal.Append(c);
            }
            else
            {
                return $"may only contain ASCII letters, digits, '-', '_', '/', '.' and placeholders; '{c}' at position {i + 1} is not allowed";
            }
        }

        AddLiteral(segments, literal);
        return null;
    }

    private static string? ReadPlaceholder(string inside, List<Segment> segments)
    {
        if (inside == "year")
        {
            segments.Add(new Segment(SegmentKind.Year, string.Empty, 0));
            return null;
        }

        if (inside == "number" || inside.StartsWith("number:", StringComparison.Ordinal))
        {
            var width = inside == "number" ? 0 : PaddingWidth(inside["number:".Length..]);
            segments.Add(new Segment(SegmentKind.Number, string.Empty, width ?? 0));
            return width is null
                ? $"has an invalid padding in {{{ShownText.Clip(inside, MaxShownPlaceholderLength)}}}: write a zero and a width of 1 to {MaxPaddingWidth}, as in {{number:06}} or {{number:04d}}"
                : null;
        }

        return $"has an unknown placeholder {{{ShownText.Clip(inside, MaxShownPlaceholderLength)}}}; use {{year}}, {{number}}, {{number:06}} or {{number:04d}}";
    }

    /// <summary>"06" or "04d" → 6 or 4; null unless a zero, a width of 1..MaxPaddingWidth, and an optional 'd'.</summary>
    private static int? PaddingWidth(string spec)
    {
        var digits = spec.EndsWith('d') ? spec[..^1] : spec;
        if (digits.Length is < 2 or > 3 || digits[0] != '0' || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        var width = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return width is >= 1 and <= MaxPaddingWidth ? width : null;
    }

    private static string? CountPlaceholders(List<Segment> segments)
    {
        var numbers = segments.Count(segment => segment.Kind == SegmentKind.Number);
        var years = segments.Count(segment => segment.Kind == SegmentKind.Year);
        return numbers switch
        {
            0 => "must contain {number}",
            > 1 => "must contain {number} only once",
            _ => years > 1 ? "may contain {year} at most once" : null,
        };
    }

    private static void AddLiteral(List<Segment> segments, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            segments.Add(new Segment(SegmentKind.Literal, literal.ToString(), 0));
            literal.Clear();
        }
    }

    private enum SegmentKind
    {
        Literal,
        Year,
        Number,
    }

    private readonly record struct Segment(SegmentKind Kind, string Literal, int Width);
}
