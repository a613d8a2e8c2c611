using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using static Billing.Domain.Tests.Pricing.PricingFixtures;
using static Billing.Domain.Tests.Pricing.PricingGenerators;

namespace Billing.Domain.Tests.Pricing;

public sealed class PricingPropertyTests
{
    private static decimal TieredTotal(TierMode mode, PriceTier[] tiers, long units, RoundingPolicy rounding) =>
        Pricer.PriceLines(PlanOf(Currency.EUR, new TieredCharge("Calls", UsageMetric.Requests, mode, tiers)), Usage(requests: units), rounding)
            .Sum(line => line.Amount.Amount);

    [Fact]
    public void GraduatedTotalIsMonotonicInQuantity()
    {
        var cases = from tiers in Tiers
                    from first in Quantities
                    from second in Quantities
                    from policy in Policies
                    select (tiers, low: Math.Min(first, second), high: Math.Max(first, second), policy);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
                TieredTotal(TierMode.Graduated, input.tiers, input.low, input.policy) <= TieredTotal(TierMode.Graduated, input.tiers, input.high, input.policy)),
            nameof(GraduatedTotalIsMonotonicInQuantity));
    }

    [Fact]
    public void VolumeAndGraduatedAgreeForASingleTier()
    {
        var cases = from price in UnitPrices
                    from fee in Gen.Frequency((1, Gen.Constant<Money?>(null)), (1, Prices.Select(fee => (Money?)fee)))
                    from units in Quantities
                    from policy in Policies
                    select (tier: new PriceTier(null, price, fee), units, policy);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
                TieredTotal(TierMode.Graduated, [input.tier], input.units, input.policy) == TieredTotal(TierMode.Volume, [input.tier], input.units, input.policy)),
            nameof(VolumeAndGraduatedAgreeForASingleTier));
    }

    [Fact]
    public void GraduatedLinesCoverEveryUnitOnce()
    {
        var cases = from tiers in Tiers
                    from units in Quantities
                    select (tiers, units);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
            {
                var lines = Pricer.PriceLines(PlanOf(Currency.EUR, new TieredCharge("Calls", UsageMetric.Requests, TierMode.Graduated, input.tiers)), Usage(requests: input.units), RoundingPolicy.HalfEven);
                return lines.Where(line => !line.Service.EndsWith("flat fee", StringComparison.Ordinal)).Sum(line => line.Quantity) == input.units;
            }),
            nameof(GraduatedLinesCoverEveryUnitOnce));
    }

    [Fact]
    public void InvoiceTotalsAddUp()
    {
        var cases = from plan in Plans
                    from usage in Usages
                    from vatPercent in Gen.Choose(0, 30)
                    from policy in Policies
                    select (plan, usage, vatRate: vatPercent / 100m, policy);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
            {
                var invoice = Pricer.Price(input.plan, input.usage, input.vatRate, input.policy);
                return invoice.Lines.All(line => line.Amount.IsRounded && line.Amount.Currency == Currency.EUR)
                    && invoice.Lines.Count >= input.plan.Charges.Count
                    && invoice.Subtotal == Money.Sum(invoice.Lines.Select(line => line.Amount), Currency.EUR)
                    && invoice.Vat == new Money(invoice.Subtotal.Amount * input.vatRate, Currency.EUR).RoundTo(input.policy)
                    && invoice.Total == invoice.Subtotal + invoice.Vat;
            }),
            nameof(InvoiceTotalsAddUp),
            maxTests: 300);
    }

    [Fact]
    public void EveryLineIsItsQuantityTimesUnitPriceRoundedOnce()
    {
        var cases = from plan in Plans
                    from usage in Usages
                    from policy in Policies
                    select (plan, usage, policy);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
                Pricer.PriceLines(input.plan, input.usage, input.policy)
                    .All(line => line.Amount == (line.UnitPrice * line.Quantity).RoundTo(input.policy))),
            nameof(EveryLineIsItsQuantityTimesUnitPriceRoundedOnce),
            maxTests: 300);
    }

    [Fact]
    public void PlansRoundTripThroughTheirDrafts()
    {
        FixedSeedCheck.Run(
            Prop.ForAll(Plans.ToArbitrary(), plan =>
                PricePlan.TryCreate(plan.Id, plan.ToDraft(), out var again, out var errors) && errors.Count == 0 && again == plan),
            nameof(PlansRoundTripThroughTheirDrafts),
            maxTests: 300);
    }

    [Fact]
    public void PackagesAreTheFewestThatHoldEveryUnit()
    {
        var cases = from size in Gen.Choose(1, 10_000)
                    from units in Quantities
                    select (charge: new PackageCharge("Bundles", UsageMetric.Requests, size, Eur(1m)), units);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
            {
                var packages = input.charge.PackagesFor(input.units);
                return packages * input.charge.PackageSize >= input.units && (packages - 1) * input.charge.PackageSize < Math.Max(input.units, 1);
            }),
            nameof(PackagesAreTheFewestThatHoldEveryUnit));
    }

    [Fact]
    public void ScreeningPartitionsTheEventsAndCountsNoOrderTwice()
    {
        var cases = from sales in Gen.ListOf(Sales)
                    from maxEvents in Gen.Choose(1, 5)
                    from windowMinutes in Gen.Choose(1, 120)
                    from capCents in Gen.Frequency((1, Gen.Constant<int?>(null)), (1, Gen.Choose(1, 50_000).Select(cents => (int?)cents)))
                    select (sales: sales.ToArray(), rules: new FraudRules(capCents is { } cap ? Eur(cap / 100m) : null, maxEvents, Duration.FromMinutes(windowMinutes)));

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
            {
                var screening = input.rules.Screen(input.sales, Currency.EUR);
                return screening.Counted.Count + screening.Excluded.Count == input.sales.Length
                    && screening.CountedRevenue == Money.Sum(screening.Counted.Select(e => e.Amount), Currency.EUR)
                    && screening.Counted.Select(e => e.OrderId).Distinct().Count() == screening.Counted.Count
                    && screening.Counted.All(e => e.Flags == RevenueEventFlags.None && (input.rules.MaxEventAmount is not { } max || e.Amount <= max));
            }),
            nameof(ScreeningPartitionsTheEventsAndCountsNoOrderTwice));
    }

    [Fact]
    public void UpgradeOnTheFirstDayCreditsAndChargesTheDifferenceInFixedPrice()
    {
        // Upgrades by construction (a higher fee, no cheaper seats, no fewer seats), so no generated case is thrown away.
        var cases = from period in Months
                    from minutes in Gen.Choose(0, (23 * 60) - 1)
                    from oldFee in Prices
                    from oldSeat in Prices
                    from feeIncrease in Gen.Choose(1, 100_000)
                    from seatIncrease in Prices
                    from seats in Gen.Choose(0, 50)
                    from extraSeats in Gen.Choose(0, 50)
                    from policy in Policies
                    let oldPlan = new PricePlan(PlanId, "Old", Currency.EUR, [new FlatFeeCharge("Fee", oldFee), new PerSeatCharge("Seats", oldSeat)])
                    let newPlan = new PricePlan(PlanId, "New", Currency.EUR, [new FlatFeeCharge("Fee", oldFee + Eur(feeIncrease / 100m)), new PerSeatCharge("Seats", oldSeat + seatIncrease)])
                    select (change: new PlanChange(period, oldPlan, seats, newPlan, seats + extraSeats, period.StartInstant.Plus(Duration.FromMinutes(minutes))), policy);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
            {
                var proration = input.change.Prorate(input.policy);
                return proration.Kind == PlanChangeKind.Upgrade
                    && proration.RemainingDays == proration.PeriodDays
                    && Money.Sum(proration.Lines.Select(line => line.Amount), Currency.EUR) == input.change.ToPricePerPeriod - input.change.FromPricePerPeriod;
            }),
            nameof(UpgradeOnTheFirstDayCreditsAndChargesTheDifferenceInFixedPrice));
    }

    [Fact]
    public void LaterUpgradesCreditAndChargeLessNeverMoreThanAWholePeriod()
    {
        var cases = from period in Months
                    from firstDay in Gen.Choose(0, 27)
                    from secondDay in Gen.Choose(0, 27)
                    from oldSeat in Prices
                    from seatIncrease in Gen.Choose(1, 100_000)
                    from seats in Gen.Choose(1, 50)
                    let newSeat = oldSeat + Eur(seatIncrease / 100m)
                    select (period, early: Math.Min(firstDay, secondDay), late: Math.Max(firstDay, secondDay),
                        oldPlan: new PricePlan(PlanId, "Old", Currency.EUR, [new PerSeatCharge("Seats", oldSeat)]),
                        newPlan: new PricePlan(PlanId, "New", Currency.EUR, [new PerSeatCharge("Seats", newSeat)]), seats);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
            {
                Proration On(int day) => new PlanChange(
                    input.period, input.oldPlan, input.seats, input.newPlan, input.seats,
                    input.period.Zone.AtStartOfDay(input.period.Start.PlusDays(day)).ToInstant().Plus(Duration.FromHours(12))).Prorate(RoundingPolicy.HalfEven);
                var (early, late) = (On(input.early), On(input.late));
                return early.RemainingDays - late.RemainingDays == input.late - input.early
                    && late.Lines[0].Amount >= early.Lines[0].Amount && late.Lines[1].Amount <= early.Lines[1].Amount
                    && -early.Lines[0].Amount <= input.oldPlan.FixedPricePerPeriod(input.seats)
                    && early.Lines[1].Amount <= input.newPlan.FixedPricePerPeriod(input.seats);
            }),
            nameof(LaterUpgradesCreditAndChargeLessNeverMoreThanAWholePeriod));
    }
}
