namespace Billing.Domain;

/// <summary>
/// The field rules of price plans and charges, shared by the typed constructors (which throw) and
/// the drafts (which collect <see cref="FieldError"/>s with paths such as <c>charges[2].unit_price</c>).
/// </summary>
internal static class ChargeRules
{
    private const int MaxShownNameLength = 20;

    /// <summary>A field under a path: <c>At("charges[1]", "amount")</c> is <c>charges[1].amount</c>; an empty path is the field alone.</summary>
    public static string At(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    public static void CheckService(List<FieldError> errors, string field, string? service) =>
        FieldRules.RequireName(errors, field, service, Charge.MaxServiceLength);

    /// <summary>A price a customer pays as such (flat fee, seat, package, a token plan's price): 0..MaxAmount in whole minor units.</summary>
    public static void CheckPrice(List<FieldError> errors, string field, decimal? value, Currency? currency)
    {
        if (CheckAmountRange(errors, field, value, minimum: 0m)
            && currency is { } known
            && decimal.Round(value!.Value, known.MinorUnitDigits) != value.Value)
        {
            errors.Add(new FieldError(field, $"{field} must have at most {known.MinorUnitDigits} decimal places in {known}"));
        }
    }

    /// <summary>A price per unit may be below the minor unit (€0.0005 per call), to a bounded number of digits.</summary>
    public static void CheckUnitPrice(List<FieldError> errors, string field, decimal? value)
    {
        if (CheckAmountRange(errors, field, value, minimum: 0m)
            && decimal.Round(value!.Value, Charge.MaxUnitPriceDecimalPlaces) != value.Value)
        {
            errors.Add(new FieldError(field, $"{field} must have at most {Charge.MaxUnitPriceDecimalPlaces} decimal places"));
        }
    }

    /// <summary>Returns true when the value is present and within minimum..MaxAmount (an error otherwise).</summary>
    public static bool CheckAmountRange(List<FieldError> errors, string field, decimal? value, decimal minimum)
    {
        if (value is null)
        {
            errors.Add(new FieldError(field, $"{field} is required"));
            return false;
        }

        if (value < minimum || value > PricePlan.MaxAmount)
        {
            errors.Add(new FieldError(field, $"{field} must be between {minimum} and {PricePlan.MaxAmount}"));
            return false;
        }

        return true;
    }

    /// <summary>Returns true when the count is present and within minimum..maximum (an error otherwise).</summary>
    public static bool CheckCount(List<FieldError> errors, string field, long? value, long minimum, long maximum)
    {
        if (value is null)
        {
            errors.Add(new FieldError(field, $"{field} is required"));
            return false;
        }

        if (value < minimum || value > maximum)
        {
            errors.Add(new FieldError(field, $"{field} must be between {minimum} and {maximum}"));
            return false;
        }

        return true;
    }

    public static void CheckDefined<TEnum>(List<FieldError> errors, string field, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            errors.Add(new FieldError(field, $"{field} must be one of {string.Join(", ", ApiNames<TEnum>.All)}"));
        }
    }

    /// <summary>Parses a required API name such as "per_unit" or "graduated"; null (with an error) when absent or unknown.</summary>
    public static TEnum? ParseName<TEnum>(List<FieldError> errors, string field, string? name)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(new FieldError(field, $"{field} is required"));
            return null;
        }

        if (ApiNames<TEnum>.TryParse(name, out var value))
        {
            return value;
        }

        errors.Add(new FieldError(field, $"{field} '{ShownText.Clip(name, MaxShownNameLength)}' is not one of {string.Join(", ", ApiNames<TEnum>.All)}"));
        return null;
    }

    /// <summary>Invoice lines are told apart by service, so two charges of a plan may not share one (ignoring case).</summary>
    public static void CheckDistinctServices(List<FieldError> errors, IReadOnlyList<string?> services, Func<int, string> chargeField)
    {
        var firstIndexByService = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var index = 0; index < services.Count; index++)
        {
            if (!string.IsNullOrWhiteSpace(services[index]) && !firstIndexByService.TryAdd(services[index]!, index))
            {
                var field = At(chargeField(index), "service");
                errors.Add(new FieldError(field, $"{field} '{services[index]}' is already the service of {chargeField(firstIndexByService[services[index]!])}"));
            }
        }
    }
}
