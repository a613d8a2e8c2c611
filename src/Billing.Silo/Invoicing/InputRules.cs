using Billing.Domain;
using NodaTime;
using NodaTime.Text;

namespace Billing.Silo.Invoicing;

/// <summary>
/// Rules for what clients report about payments and sales. Instants are ISO 8601 with an offset,
/// never later than the silo's clock beyond a small skew between the client's clock and ours.
/// </summary>
public static class InputRules
{
    public const int MaxClockSkewSeconds = 300;
    public const string InstantExample = "2026-11-05T14:30:00Z";

    /// <summary>The instant, or null when absent or invalid (then with an error under <paramref name="field"/>).</summary>
    public static Instant? ReadInstant(List<FieldError> errors, string field, string? text, Instant now)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text is null)
        {
            return null;
        }

        var parsed = OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        if (!parsed.Success)
        {
            errors.Add(new FieldError(field, $"{field} must be an ISO 8601 date and time with an offset, e.g. {InstantExample}"));
            return null;
        }

        var instant = parsed.Value.ToInstant();
        if (instant > now + Duration.FromSeconds(MaxClockSkewSeconds))
        {
            errors.Add(new FieldError(field, $"{field} must not be in the future"));
            return null;
        }

        return instant;
    }

    /// <summary>A single-line text of 1..<paramref name="maxLength"/> characters, not blank; absent is fine unless <paramref name="required"/>.</summary>
    public static void CheckText(List<FieldError> errors, string field, string? value, int maxLength, bool required)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null && !required)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(value) || TextLength.Exceeds(value, maxLength) || value.Any(char.IsControl))
        {
            var absent = required ? "" : ", or left out";
            errors.Add(new FieldError(field, $"{field} must be 1 to {maxLength} characters without control characters{absent}"));
        }
    }
}
