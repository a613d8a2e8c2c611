using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Billing.Domain.Payments;

/// <summary>
/// An International Bank Account Number (ISO 13616) of a SEPA country, kept in its electronic
/// form: upper case, no spaces ("DE89370400440532013000"). Parsing accepts the printed form with
/// spaces and lower case, checks the country's length and the ISO 7064 mod-97 check digits, so a
/// mistyped character or two swapped digits are caught before a mandate is created.
/// <see cref="ToString"/> gives <see cref="Masked"/>, so an IBAN written into a log stays partial;
/// the provider gets <see cref="Value"/>.
/// </summary>
public readonly record struct Iban
{
    /// <summary>ISO 13616 caps an IBAN at 34 characters; typed input may carry a space every four.</summary>
    public const int MaxLength = 34;
    public const int MaxInputLength = 64;

    private const string Subject = "IBAN";
    private const int VisibleTailLength = 4;
    private const int VisibleHeadLength = 4;

    /// <summary>
    /// IBAN lengths of the SEPA countries, from the ISO 13616 registry. Only these are accepted:
    /// SEPA Direct Debit is the only use of IBANs here, and a country missing from the table is
    /// refused rather than checked against a guessed length.
    /// </summary>
    private static readonly FrozenDictionary<string, int> LengthByCountry = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AT"] = 20, ["BE"] = 16, ["BG"] = 22, ["CH"] = 21, ["CY"] = 28, ["CZ"] = 24,
        ["DE"] = 22, ["DK"] = 18, ["EE"] = 20, ["ES"] = 24, ["FI"] = 18, ["FR"] = 27, ["GB"] = 22,
        ["GI"] = 23, ["GR"] = 27, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IS"] = 26, ["IT"] = 27,
        ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MT"] = 31, ["NL"] = 18,
        ["NO"] = 15, ["PL"] = 28, ["PT"] = 25, ["RO"] = 24, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24,
        ["SM"] = 27, ["VA"] = 22,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly string? value;

    private Iban(string electronic) => value = electronic;

    /// <summary>The countries whose IBANs are accepted, ordered by code.</summary>
    public static IReadOnlyList<string> SupportedCountries { get; } = [.. LengthByCountry.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The electronic form: upper case, no spaces, e.g. "DE89370400440532013000".</summary>
    public string Value => value ?? throw new InvariantViolationException("default(Iban) has no value; use Iban.Parse.");

    /// <summary>ISO 3166 alpha-2 country, e.g. "DE".</summary>
    public string CountryCode => Value[..2];

    public string CheckDigits => Value[2..4];

    /// <summary>The national part after country and check digits (Basic Bank Account Number).</summary>
    public string Bban => Value[4..];

    /// <summary>The printed form in groups of four, e.g. "DE89 3704 0044 0532 0130 00".</summary>
    public string Formatted => CompactCode.InGroupsOfFour(Value);

    /// <summary>
    /// The printed form with everything but the country, the check digits and the last four
    /// characters starred, e.g. "DE89 **** **** **** **30 00": enough for a customer to tell two
    /// of their accounts apart on an invoice or a page, not enough to debit. The grouping keeps the
    /// account's length visible, which the country already tells.
    /// </summary>
    public string Masked
    {
        get
        {
            var electronic = Value;
            var hidden = electronic.Length - VisibleHeadLength - VisibleTailLength;
            return CompactCode.InGroupsOfFour(
                string.Concat(electronic.AsSpan(0, VisibleHeadLength), new string('*', hidden), electronic.AsSpan(electronic.Length - VisibleTailLength)));
        }
    }

    /// <summary>Throws <see cref="FormatException"/> with the reason <see cref="TryParse"/> gives.</summary>
    public static Iban Parse(string text) =>
        TryParse(text, out var iban, out var reason) ? iban : throw new FormatException(reason);

    /// <summary>Reads an IBAN in electronic or printed form; the reason never repeats the input.</summary>
    public static bool TryParse(string? text, out Iban iban, [NotNullWhen(false)] out string? reason)
    {
        iban = default;
        if (!CompactCode.TryRead(text, Subject, MaxInputLength, out var compact, out reason))
        {
            return false;
        }

        reason = Problem(compact);
        if (reason is not null)
        {
            return false;
        }

        iban = new Iban(compact);
        return true;
    }

    public override string ToString() => value is null ? "(no IBAN)" : Masked;

    private static string? Problem(string compact)
    {
        if (compact.Length < 4 || !char.IsAsciiLetter(compact[0]) || !char.IsAsciiLetter(compact[1]))
        {
            return $"{Subject} must start with a two-letter country code and two check digits";
        }

        var country = compact[..2];
        if (!LengthByCountry.TryGetValue(country, out var length))
        {
            return $"{Subject} country '{country}' is not supported; use one of {string.Join(", ", SupportedCountries)}";
        }

        if (!char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return $"{Subject} check digits (characters 3 and 4) must be digits";
        }

        if (compact.Length != length)
        {
            return $"{Subject} for {country} must have {length} characters (got {compact.Length})";
        }

        return Iso7064Mod97.IsValid(compact)
            ? null
            : $"{Subject} check digits do not match: a character is mistyped or two are swapped";
    }
}
