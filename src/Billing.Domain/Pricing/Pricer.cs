namespace Billing.Domain;

/// <summary>
/// Prices a closed period of one shop. The rounding policy, in one place:
/// <list type="number">
/// <item>Each invoice line is quantity × unit price at full precision (unit prices may be sub-minor),
/// rounded once to the minor unit with the given <see cref="RoundingPolicy"/> (HalfEven by default,
/// or HalfUp). Lines are never rounded twice or summed before rounding.</item>
/// <item>The subtotal is the sum of the rounded lines; VAT is the subtotal × the rate, rounded once
/// with the same policy (not VAT per line); total = subtotal + VAT (see <see cref="PricedInvoice"/>).</item>
/// </list>
/// Lines come in the plan's charge order; every charge shows at least one line, zero usage
/// included, because an invoice shows what was metered. Tiered and package charges may show more
/// (see <see cref="TieredCharge"/>).
/// </summary>
public static class Pricer
{
    public static IReadOnlyList<InvoiceLine> PriceLines(PricePlan plan, BillableUsage usage, RoundingPolicy rounding)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(usage);
        return Array.AsReadOnly(plan.Charges.SelectMany(charge => charge.PriceLines(usage, plan.Currency, rounding)).ToArray());
    }

    public static PricedInvoice Price(PricePlan plan, BillableUsage usage, decimal vatRate, RoundingPolicy rounding) =>
        Price(plan, usage, vatRate, rounding, adjustments: []);

    /// <summary>
    /// As <see cref="Price(PricePlan, BillableUsage, decimal, RoundingPolicy)"/>, with already rounded
    /// <paramref name="adjustments"/> (e.g. the lines of an upgrade's <see cref="Proration"/>) after the plan's lines.
    /// </summary>
    public static PricedInvoice Price(PricePlan plan, BillableUsage usage, decimal vatRate, RoundingPolicy rounding, IReadOnlyList<InvoiceLine> adjustments)
    {
        ArgumentNullException.ThrowIfNull(adjustments);
        var lines = PriceLines(plan, usage, rounding).Concat(adjustments).ToArray();
        return new PricedInvoice(Array.AsReadOnly(lines), plan.Currency, vatRate, rounding);
    }
}
