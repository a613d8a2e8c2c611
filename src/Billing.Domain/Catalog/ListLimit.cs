using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Billing.Domain;

/// <summary>The <c>limit</c> of a list query: at most how many items one answer holds.</summary>
public static class ListLimit
{
    public const string Field = "limit";

    /// <summary>
    /// <paramref name="text"/> as a whole number from 1 to <paramref name="maxLimit"/> (digits only: no sign, spaces or
    /// separators), <paramref name="defaultLimit"/> when absent, or the <c>limit</c> field's error.
    /// </summary>
    public static bool TryParse(string? text, int defaultLimit, int maxLimit, out int limit, [NotNullWhen(false)] out FieldError? error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultLimit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(defaultLimit, maxLimit);
        if (text is null)
        {
            (limit, error) = (defaultLimit, null);
            return true;
        }

        var valid = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= maxLimit;
        limit = valid ? limit : 0;
        error = valid ? null : new FieldError(Field, $"{Field} must be a whole number from 1 to {maxLimit}");
        return valid;
    }
}
