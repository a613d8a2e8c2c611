namespace Billing.Domain;

/// <summary>
/// How often a customer is invoiced. Every cycle is anchored to the calendar in the customer's
/// zone: ISO weeks (Monday..Sunday), calendar months, and quarters starting in January, April,
/// July and October. The values are explicit and start at 1 so an uninitialised cycle is invalid.
/// </summary>
public enum BillingCycle
{
    Weekly = 1,
    Monthly = 2,
    Quarterly = 3,
}

/// <summary>The cycles' API and storage names: "weekly", "monthly", "quarterly".</summary>
public static class BillingCycles
{
    public static IReadOnlyList<BillingCycle> All { get; } = [BillingCycle.Weekly, BillingCycle.Monthly, BillingCycle.Quarterly];

    public static string ToText(this BillingCycle cycle) => ApiNames<BillingCycle>.Of(cycle);

    /// <summary>Parses "weekly", "monthly" or "quarterly" (any case, surrounding blanks ignored).</summary>
    public static bool TryParse(string? text, out BillingCycle cycle) => ApiNames<BillingCycle>.TryParse(text, out cycle);

    /// <summary>Like <see cref="TryParse"/>, but throws <see cref="FormatException"/> naming the accepted values.</summary>
    public static BillingCycle Parse(string text) => ApiNames<BillingCycle>.Parse(text, "billing cycle");
}
