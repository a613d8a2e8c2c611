using NodaTime;

namespace Billing.Domain;

public enum PlanChangeKind
{
    /// <summary>The new fixed price per period is higher: effective at once, prorated.</summary>
    Upgrade = 0,

    /// <summary>The new fixed price is lower or equal: effective at the period end, nothing to prorate.</summary>
    Downgrade = 1,
}

/// <summary>
/// What a change does to the current period. <see cref="Lines"/> holds, for an upgrade, first the
/// credit (negative) for the old plan's unused days, then the charge for the new plan's remaining
/// days; empty for a downgrade. <see cref="RemainingDays"/> counts the day of the change.
/// </summary>
public sealed record Proration(
    PlanChangeKind Kind, LocalDate EffectiveDate, Instant EffectiveAt, int PeriodDays, int RemainingDays, IReadOnlyList<InvoiceLine> Lines);

/// <summary>
/// A switch of plan, seat count or both during a billing period (seed 003: plan upgrades, "screen
/// count increases", downgrades). Only recurring fixed charges (flat fees, per seat) are prorated:
/// usage charges are metered, so the period's usage is priced as it was consumed.
/// <para>
/// Upgrade or downgrade compares <see cref="PricePlan.FixedPricePerPeriod"/> before and after. An
/// upgrade is effective immediately and prorated by whole local days in the period's zone (the
/// customer's): the day of the change is used by the new plan, so with D days in the period and
/// R = days from the change's local date to the period end, the credit is old × R / D and the
/// charge new × R / D, each rounded once. Hours do not matter: a 23-hour DST day is one day.
/// </para>
/// <para>
/// With fixed charges billed for the period on the invoice of the plan it started with, adding the
/// upgrade's lines (or billing them at once) makes the period cost old × (D − R) / D + new × R / D.
/// </para>
/// </summary>
public sealed record PlanChange
{
    public PlanChange(BillingPeriod period, PricePlan fromPlan, int fromSeats, PricePlan toPlan, int toSeats, Instant changedAt)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(fromPlan);
        ArgumentNullException.ThrowIfNull(toPlan);
        if (fromPlan.Currency != toPlan.Currency)
        {
            throw new CurrencyMismatchException(fromPlan.Currency, toPlan.Currency, "change plans between");
        }

        if (!period.Contains(changedAt))
        {
            throw new ArgumentOutOfRangeException(nameof(changedAt), changedAt, $"A plan change prorates within its period {period}.");
        }

        Period = period;
        FromPlan = fromPlan;
        FromSeats = fromSeats;
        ToPlan = toPlan;
        ToSeats = toSeats;
        ChangedAt = changedAt;
        FromPricePerPeriod = fromPlan.FixedPricePerPeriod(fromSeats);
        ToPricePerPeriod = toPlan.FixedPricePerPeriod(toSeats);
    }

    public BillingPeriod Period { get; }

    public PricePlan FromPlan { get; }

    public int FromSeats { get; }

    public PricePlan ToPlan { get; }

    public int ToSeats { get; }

    public Instant ChangedAt { get; }

    public Money FromPricePerPeriod { get; }

    public Money ToPricePerPeriod { get; }

    public PlanChangeKind Kind => ToPricePerPeriod > FromPricePerPeriod ? PlanChangeKind.Upgrade : PlanChangeKind.Downgrade;

    public Proration Prorate(RoundingPolicy rounding)
    {
        var changeDate = Period.DayOf(ChangedAt);
        var periodDays = NodaTime.Period.DaysBetween(Period.Start, Period.EndExclusive);
        var remainingDays = NodaTime.Period.DaysBetween(changeDate, Period.EndExclusive);
        if (Kind == PlanChangeKind.Downgrade)
        {
            return new Proration(Kind, Period.EndExclusive, Period.EndInstant, periodDays, remainingDays, []);
        }

        InvoiceLine[] lines =
        [
            DaysLine($"{FromPlan.Name}: credit for {remainingDays} unused of {periodDays} days", FromPricePerPeriod.Negate(), periodDays, remainingDays, rounding),
            DaysLine($"{ToPlan.Name}: {remainingDays} remaining of {periodDays} days", ToPricePerPeriod, periodDays, remainingDays, rounding),
        ];
        return new Proration(Kind, changeDate, ChangedAt, periodDays, remainingDays, Array.AsReadOnly(lines));
    }

    /// <summary>
    /// Part of a per-period price by whole days: quantity = days, unit price = the daily rate, and
    /// the amount price × days / period days, rounded once. Also what a shorter bridge period bills.
    /// </summary>
    public static InvoiceLine DaysLine(string service, Money pricePerPeriod, int periodDays, int remainingDays, RoundingPolicy rounding)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodDays);
        ArgumentOutOfRangeException.ThrowIfNegative(remainingDays);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(remainingDays, periodDays);
        var amount = new Money(pricePerPeriod.Amount * remainingDays / periodDays, pricePerPeriod.Currency).RoundTo(rounding);
        return new InvoiceLine(service, remainingDays, new Money(pricePerPeriod.Amount / periodDays, pricePerPeriod.Currency), amount);
    }
}
