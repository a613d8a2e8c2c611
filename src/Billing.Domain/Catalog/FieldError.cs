namespace Billing.Domain;

/// <summary>One problem with one input field, e.g. (<c>tokens_included</c>, "tokens_included must be greater than 0").</summary>
/// <remarks>Field names are the API's snake_case names, so a client can point at the offending field.</remarks>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => Message;
}

/// <summary>
/// A catalog object was constructed from values that break its rules. Input from clients goes
/// through <c>TryCreate</c> and gets <see cref="FieldError"/>s instead; this exception means a
/// caller skipped that step or stored data is corrupt, and it is thrown in release builds too.
/// </summary>
public sealed class CatalogValidationException : ArgumentException
{
    public CatalogValidationException(string typeName, IReadOnlyList<FieldError> errors)
        : base($"Invalid {typeName}: {string.Join("; ", errors)}.")
    {
        Errors = errors;
    }

    public IReadOnlyList<FieldError> Errors { get; }
}

/// <summary>The field rules catalog objects share, with their messages in one place.</summary>
internal static class FieldRules
{
    /// <summary>Currency codes are three letters; a longer unsupported one is echoed cut short.</summary>
    private const int MaxShownCurrencyLength = 8;

    /// <summary>A required single-line text of 1..<paramref name="maxLength"/> characters, not blank.</summary>
    public static void RequireName(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new FieldError(field, $"{field} is required"));
            return;
        }

        CheckLength(errors, field, value, maxLength);
        if (value.Any(char.IsControl))
        {
            errors.Add(new FieldError(field, $"{field} must not contain control characters"));
        }
    }

    /// <summary>Optional free text (line breaks allowed) of at most <paramref name="maxLength"/> characters.</summary>
    public static void CheckOptionalText(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return;
        }

        CheckLength(errors, field, value, maxLength);
        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            errors.Add(new FieldError(field, $"{field} must not contain control characters other than line breaks and tabs"));
        }
    }

    /// <summary>Blank optional text is stored as absent; anything else is trimmed.</summary>
    public static string? TrimToNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A supported ISO 4217 code, or <paramref name="fallback"/> when absent; null (with an error) when unsupported.</summary>
    public static Currency? ParseCurrency(List<FieldError> errors, string field, string? code, Currency? fallback)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            if (fallback is null)
            {
                errors.Add(new FieldError(field, $"{field} is required"));
            }

            return fallback;
        }

        if (Currency.TryParse(code, out var currency))
        {
            return currency;
        }

        errors.Add(new FieldError(field, $"{field} '{ShownText.Clip(code, MaxShownCurrencyLength)}' is not supported; use one of {string.Join(", ", Currency.Supported)}"));
        return null;
    }

    public static void ThrowIfAny(string typeName, List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new CatalogValidationException(typeName, errors);
        }
    }

    private static void CheckLength(List<FieldError> errors, string field, string value, int maxLength)
    {
        if (TextLength.Exceeds(value, maxLength))
        {
            errors.Add(new FieldError(field, $"{field} must be at most {maxLength} characters (got {TextLength.Characters(value)})"));
        }
    }
}
