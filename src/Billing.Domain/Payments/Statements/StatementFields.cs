using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Billing.Domain.Payments;

/// <summary>
/// The fields both statement formats share, read exactly: amounts as decimal text with a '.'
/// (never through a binary float, never with a thousands separator), ISO dates, ISO 4217 codes.
/// A field the report cannot do without is an error naming its line; a free-text one is clipped.
/// </summary>
internal static class StatementFields
{
    /// <summary>For currencies the service does not know (it still reports them as a mismatch).</summary>
    private const int MaxUnknownCurrencyDecimals = 3;

    private const int MaxShownLength = 24;

    /// <summary>The amount of <paramref name="text"/>; a sign is read only when <paramref name="signed"/>.</summary>
    public static decimal Amount(string? text, string currencyCode, bool signed, int line)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        var styles = NumberStyles.AllowDecimalPoint | (signed ? NumberStyles.AllowLeadingSign : NumberStyles.None);
        if (trimmed.Length == 0 || trimmed.Length > 32
            || !decimal.TryParse(trimmed, styles, CultureInfo.InvariantCulture, out var amount) || trimmed.EndsWith('.') || trimmed.StartsWith('.'))
        {
            throw new StatementFormatException(line, $"amount '{ShownText.Clip(trimmed, MaxShownLength)}' is not a decimal number like 1234.50 ('.' before the decimals, no thousands separator)");
        }

        var decimals = trimmed.Contains('.', StringComparison.Ordinal) ? trimmed.Length - trimmed.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        var allowed = Currency.TryParse(currencyCode, out var currency) ? currency.MinorUnitDigits : MaxUnknownCurrencyDecimals;
        if (decimals > allowed)
        {
            throw new StatementFormatException(line, $"amount '{trimmed}' has {decimals} decimals; {currencyCode} has {allowed}");
        }

        if (amount == 0m || Math.Abs(amount) > BankStatement.MaxAmount)
        {
            throw new StatementFormatException(line, $"amount must be non-zero and at most {BankStatement.MaxAmount} (got {trimmed})");
        }

        return amount;
    }

    public static string CurrencyCode(string? text, int line)
    {
        var code = text?.Trim() ?? string.Empty;
        return code.Length == 3 && code.All(char.IsAsciiLetterUpper)
            ? code
            : throw new StatementFormatException(line, $"currency '{ShownText.Clip(code, MaxShownLength)}' is not an ISO 4217 code of three capital letters");
    }

    /// <summary>An ISO date, or the date part of an ISO date and time as the bank wrote it.</summary>
    public static LocalDate Date(string? text, string field, int line)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        var datePart = trimmed.Length > 10 && trimmed[10] == 'T' ? trimmed[..10] : trimmed;
        var parsed = LocalDatePattern.Iso.Parse(datePart);
        return parsed.Success
            ? parsed.Value
            : throw new StatementFormatException(line, $"{field} '{ShownText.Clip(trimmed, MaxShownLength)}' is not a date like 2026-12-01");
    }

    public static string BankLineId(string? text, string field, int line)
    {
        var id = text?.Trim() ?? string.Empty;
        if (id.Length == 0)
        {
            throw new StatementFormatException(line, $"{field} is required: it tells a line imported before");
        }

        return id.Length <= BankStatement.MaxBankLineIdLength && !id.Any(char.IsControl)
            ? id
            : throw new StatementFormatException(line, $"{field} must be at most {BankStatement.MaxBankLineIdLength} characters without control characters");
    }

    /// <summary>Free text: trimmed, clipped to <paramref name="maxLength"/>, control characters as spaces; blank is null.</summary>
    public static string? Text(string? text, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var clean = new string([.. text.Trim().Select(c => char.IsControl(c) ? ' ' : c)]);
        return clean.Length > maxLength ? clean[..maxLength] : clean;
    }

    /// <summary>The account as written, without spaces; an overlong value is dropped rather than refusing the statement.</summary>
    public static string? Account(string? text)
    {
        var compact = text?.Replace(" ", string.Empty, StringComparison.Ordinal).Trim();
        return string.IsNullOrEmpty(compact) || compact.Length > Iban.MaxLength ? null : compact.ToUpperInvariant();
    }
}
