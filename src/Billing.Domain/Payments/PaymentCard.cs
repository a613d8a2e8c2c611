using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace Billing.Domain.Payments;

/// <summary>
/// Checks on a card number while it passes through, on its way to the payment provider. The full
/// number (PAN) is never kept: no type here holds one, and what is stored of a card is the
/// provider's payment-method id and a <see cref="CardSummary"/> (brand, last four digits, expiry).
/// Messages never repeat the number.
/// </summary>
public static class PaymentCard
{
    /// <summary>ISO/IEC 7812 numbers have 8..19 digits; no network issues fewer than 12 to cardholders.</summary>
    public const int MinDigits = 12;
    public const int MaxDigits = 19;

    /// <summary>19 digits with a separator every four, and some room.</summary>
    public const int MaxInputLength = 32;

    /// <summary>Issuers print expiries up to about ten years out; a later one is taken as a typing mistake.</summary>
    public const int MaxYearsAhead = 20;

    /// <summary>
    /// The number's digits with spaces and dashes dropped, if it has <see cref="MinDigits"/> to
    /// <see cref="MaxDigits"/> of them and passes the Luhn check; otherwise the reason.
    /// </summary>
    public static bool TryReadNumber(string? text, [NotNullWhen(true)] out string? digits, [NotNullWhen(false)] out string? reason)
    {
        digits = null;
        if (!CompactCode.IsPresent(text, "card number", MaxInputLength, out reason))
        {
            return false;
        }

        var kept = text.Where(c => c is not (' ' or '-')).ToArray();
        reason = kept switch
        {
            _ when kept.Any(c => !char.IsAsciiDigit(c)) => "card number may only contain digits, spaces and dashes",
            { Length: < MinDigits or > MaxDigits } => $"card number must have {MinDigits} to {MaxDigits} digits (got {kept.Length})",
            _ when !IsLuhnValid(kept) => "card number is mistyped: its check digit does not match",
            _ => null,
        };
        digits = reason is null ? new string(kept) : null;
        return digits is not null;
    }

    /// <summary>
    /// The Luhn (mod 10) check of ISO/IEC 7812: from the right, every second digit is doubled (9s
    /// cast out) and the sum must end in 0. False for anything but 1..<see cref="MaxDigits"/> ASCII digits.
    /// </summary>
    public static bool IsLuhnValid(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty || digits.Length > MaxDigits || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                digit = digit > 9 ? digit - 9 : digit;
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    /// <summary>
    /// The network by issuer prefix: Visa 4; Mastercard 51–55 and 2221–2720; Amex 34, 37;
    /// Discover 6011, 644–649, 65; Diners 300–305, 36, 38, 39; JCB 3528–3589. Anything else is
    /// <see cref="CardBrand.Unknown"/>. Reads only the first four digits, so the length is not judged.
    /// </summary>
    public static CardBrand BrandOf(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 4 || digits[..4].ContainsAnyExceptInRange('0', '9'))
        {
            return CardBrand.Unknown;
        }

        var first4 = (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 + (digits[2] - '0') * 10 + (digits[3] - '0');
        var first3 = first4 / 10;
        var first2 = first4 / 100;
        return first4 switch
        {
            >= 4000 and <= 4999 => CardBrand.Visa,
            _ when first2 is >= 51 and <= 55 || first4 is >= 2221 and <= 2720 => CardBrand.Mastercard,
            _ when first2 is 34 or 37 => CardBrand.Amex,
            _ when first4 == 6011 || first3 is >= 644 and <= 649 || first2 == 65 => CardBrand.Discover,
            _ when first3 is >= 300 and <= 305 || first2 is 36 or 38 or 39 => CardBrand.Diners,
            >= 3528 and <= 3589 => CardBrand.Jcb,
            _ => CardBrand.Unknown,
        };
    }

    /// <summary>
    /// Whether a card expiring at the end of <paramref name="month"/>/<paramref name="year"/> can
    /// still be charged on <paramref name="today"/> (the caller's local date; the domain has no
    /// clock). A card is valid through the last day of its expiry month.
    /// </summary>
    public static bool TryCheckExpiry(int month, int year, LocalDate today, [NotNullWhen(false)] out string? reason)
    {
        var isoToday = today.WithCalendar(CalendarSystem.Iso);
        var latestYear = isoToday.Year + MaxYearsAhead;
        reason = (month, year) switch
        {
            (< 1 or > 12, _) => $"expiry month must be 1 to 12 (got {month})",
            (_, < CardSummary.MinExpiryYear) => $"expiry year must have four digits, e.g. {isoToday.Year} (got {year})",
            (_, _) when year > latestYear => $"expiry year must be at most {latestYear} (got {year})",
            _ when CardSummary.LastValidDayOf(month, year) < isoToday => $"card expired at the end of {month:D2}/{year}",
            _ => null,
        };
        return reason is null;
    }
}
