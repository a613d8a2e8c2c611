using System.Globalization;

namespace Billing.Domain;

/// <summary>
/// A share of the revenue attributed to the service (seed 002), after <see cref="FraudRules"/>
/// have excluded what should earn nothing. One line: quantity = the counted revenue, unit price =
/// the share per unit of revenue (0.05 for 5%), e.g. "Revenue share: 5% of EUR 1234.00 (3 events
/// excluded)"; <see cref="Screen"/> gives the excluded events and why.
/// </summary>
public sealed record RevenueShareCharge : Charge
{
    /// <summary>Down to a hundredth of a percent (0.0125 = 1.25%).</summary>
    public const int MaxPercentageDecimalPlaces = 4;

    public RevenueShareCharge(string service, decimal percentage, FraudRules fraudRules)
        : base(service)
    {
        ArgumentNullException.ThrowIfNull(fraudRules);
        var errors = new List<FieldError>();
        Validate(errors, path: "", service, percentage);
        FieldRules.ThrowIfAny("revenue_share charge", errors);
        Percentage = percentage;
        FraudRules = fraudRules;
    }

    /// <summary>The share as a fraction, 0..1 (0.05 = 5%).</summary>
    public decimal Percentage { get; }

    public FraudRules FraudRules { get; }

    public override ChargeType Type => ChargeType.RevenueShare;

    internal override IEnumerable<Money> Prices => FraudRules.MaxEventAmount is { } max ? [max] : [];

    internal static void Validate(List<FieldError> errors, string path, string? service, decimal? percentage)
    {
        ChargeRules.CheckService(errors, ChargeRules.At(path, "service"), service);
        var field = ChargeRules.At(path, "percentage");
        if (percentage is null)
        {
            errors.Add(new FieldError(field, $"{field} is required"));
        }
        else if (percentage is < 0m or > 1m || decimal.Round(percentage.Value, MaxPercentageDecimalPlaces) != percentage)
        {
            errors.Add(new FieldError(field, $"{field} must be a fraction between 0 and 1 (0.05 = 5%) with at most {MaxPercentageDecimalPlaces} decimal places"));
        }
    }

    /// <summary>The fraud screening of the usage's revenue events with this charge's rules.</summary>
    public RevenueScreening Screen(BillableUsage usage, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return FraudRules.Screen(usage.Revenue, currency);
    }

    internal override IEnumerable<InvoiceLine> PriceLines(BillableUsage usage, Currency currency, RoundingPolicy rounding)
    {
        var screening = Screen(usage, currency);
        var percent = (Percentage * 100m).ToString("G29", CultureInfo.InvariantCulture);
        var excluded = screening.Excluded.Count switch
        {
            0 => "",
            1 => " (1 event excluded)",
            var count => string.Create(CultureInfo.InvariantCulture, $" ({count} events excluded)"),
        };
        return [Line($"{Service}: {percent}% of {screening.CountedRevenue}{excluded}", screening.CountedRevenue.Amount, new Money(Percentage, currency), rounding)];
    }

    internal override ChargeDraft ToDraft() =>
        new(ApiNames<ChargeType>.Of(Type), Service, Percentage: Percentage,
            FraudRules: new FraudRulesDraft(FraudRules.MaxEventAmount?.Amount, FraudRules.MaxEventsPerFingerprint, (int)FraudRules.FingerprintWindow.TotalMinutes));
}
