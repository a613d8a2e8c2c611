namespace Billing.Domain;

/// <summary>
/// Monthly recurring revenue (MRR) of a shop's terms: the price plan's fixed charges per period
/// (flat fees plus seats × price per seat, <see cref="PricePlan.FixedPricePerPeriod"/>) — what the
/// shop is committed to pay each period before any usage — normalised to one calendar month and
/// rounded once to the currency's minor unit with an explicit policy. Usage charges are not
/// recurring and the default per-request plan has no fixed charge, so both count zero.
/// </summary>
public static class RecurringRevenue
{
    /// <summary>Months per year over weeks per year: a weekly price × 52 / 12 per month.</summary>
    private const decimal WeeksPerYear = 52m;
    private const decimal MonthsPerYear = 12m;
    private const decimal MonthsPerQuarter = 3m;

    public static Money MonthlyOf(PricePlan plan, int seats, BillingCycle cycle, RoundingPolicy rounding)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return PerMonth(plan.FixedPricePerPeriod(seats), cycle, rounding);
    }

    /// <summary>A price per period of <paramref name="cycle"/> as a price per month, rounded to the minor unit.</summary>
    public static Money PerMonth(Money pricePerPeriod, BillingCycle cycle, RoundingPolicy rounding)
    {
        if (pricePerPeriod.IsNegative)
        {
            throw new InvariantViolationException($"A recurring price cannot be negative (got {pricePerPeriod}).");
        }

        var perMonth = cycle switch
        {
            BillingCycle.Monthly => pricePerPeriod.Amount,
            BillingCycle.Quarterly => pricePerPeriod.Amount / MonthsPerQuarter,
            BillingCycle.Weekly => pricePerPeriod.Amount * WeeksPerYear / MonthsPerYear,
            _ => throw new ArgumentOutOfRangeException(nameof(cycle), cycle, "Unknown billing cycle."),
        };
        return new Money(perMonth, pricePerPeriod.Currency).RoundTo(rounding);
    }
}
