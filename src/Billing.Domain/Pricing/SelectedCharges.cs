namespace Billing.Domain;

/// <summary>
/// Prices only some charges of a plan. A period whose plan changed mid-way bills its fixed charges
/// (flat, per seat) from the plan it started with, the upgrade's proration having settled the
/// difference, and its usage charges from the plan in effect at its end.
/// </summary>
public static class SelectedCharges
{
    public static IReadOnlyList<InvoiceLine> PriceLines(PricePlan plan, BillableUsage usage, RoundingPolicy rounding, Func<Charge, bool> selected)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(selected);
        return Array.AsReadOnly(plan.Charges.Where(selected).SelectMany(charge => charge.PriceLines(usage, plan.Currency, rounding)).ToArray());
    }
}
