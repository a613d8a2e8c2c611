using System.Collections.Frozen;

namespace Billing.Domain;

/// <summary>
/// An ISO 4217 currency the service bills in, with the number of digits of its minor unit
/// (cents for EUR, none for JPY, fils for KWD). Only the currencies listed here exist:
/// an unknown code is rejected at the boundary instead of being priced with a guessed exponent.
/// </summary>
public readonly record struct Currency
{
    public static readonly Currency EUR = new("EUR", 2);
    public static readonly Currency USD = new("USD", 2);
    public static readonly Currency GBP = new("GBP", 2);
    public static readonly Currency JPY = new("JPY", 0);
    public static readonly Currency CHF = new("CHF", 2);
    public static readonly Currency SEK = new("SEK", 2);
    public static readonly Currency NOK = new("NOK", 2);
    public static readonly Currency DKK = new("DKK", 2);
    public static readonly Currency PLN = new("PLN", 2);
    public static readonly Currency CZK = new("CZK", 2);
    public static readonly Currency HUF = new("HUF", 2);
    public static readonly Currency AUD = new("AUD", 2);
    public static readonly Currency CAD = new("CAD", 2);
    public static readonly Currency NZD = new("NZD", 2);
    public static readonly Currency KWD = new("KWD", 3);
    public static readonly Currency BHD = new("BHD", 3);

    private static readonly FrozenDictionary<string, Currency> SupportedByCode =
        new[] { EUR, USD, GBP, JPY, CHF, SEK, NOK, DKK, PLN, CZK, HUF, AUD, CAD, NZD, KWD, BHD }
            .ToFrozenDictionary(currency => currency.Code, StringComparer.Ordinal);

    private Currency(string code, int minorUnitDigits)
    {
        Code = code;
        MinorUnitDigits = minorUnitDigits;
        MinorUnit = 1m / Pow10(minorUnitDigits);
    }

    /// <summary>Upper-case ISO 4217 alphabetic code, e.g. "EUR". Null only for <c>default(Currency)</c>.</summary>
    public string Code { get; }

    /// <summary>ISO 4217 exponent: how many decimal digits the smallest coin or note has.</summary>
    public int MinorUnitDigits { get; }

    /// <summary>The value of one minor unit as an amount, e.g. 0.01 for EUR and 1 for JPY.</summary>
    public decimal MinorUnit { get; }

    /// <summary>All currencies the service accepts, ordered by code.</summary>
    public static IReadOnlyList<Currency> Supported { get; } =
        [.. SupportedByCode.Values.OrderBy(currency => currency.Code, StringComparer.Ordinal)];

    /// <summary>
    /// Parses a code case-insensitively ("eur" becomes EUR).
    /// Throws <see cref="FormatException"/> naming the code and the supported ones if it is unknown.
    /// </summary>
    public static Currency Parse(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (TryParse(code, out var currency))
        {
            return currency;
        }

        throw new FormatException(
            $"Unknown currency code '{code}'. Supported ISO 4217 codes: {string.Join(", ", Supported)}.");
    }

    public static bool TryParse(string? code, out Currency currency)
    {
        currency = default;
        if (string.IsNullOrWhiteSpace(code))
        {
            return false;
        }

        return SupportedByCode.TryGetValue(code.Trim().ToUpperInvariant(), out currency);
    }

    public override string ToString() => Code ?? "(no currency)";

    /// <summary>
    /// <c>default(Currency)</c> cannot be prevented for a struct; every operation that needs the
    /// exponent calls this so an uninitialised currency fails loudly instead of pricing with 0 digits.
    /// </summary>
    internal Currency EnsureKnown(string paramName) =>
        Code is null
            ? throw new ArgumentException(
                "Currency is default(Currency); use Currency.Parse or one of the named currencies.", paramName)
            : this;

    internal static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }
}
