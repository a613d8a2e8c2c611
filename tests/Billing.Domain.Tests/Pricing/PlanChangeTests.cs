using NodaTime;
using static Billing.Domain.Tests.Pricing.PricingFixtures;

namespace Billing.Domain.Tests.Pricing;

public sealed class PlanChangeTests
{
    private const string Amsterdam = "Europe/Amsterdam";

    private static readonly BillingPeriod February = new(new LocalDate(2026, 2, 1), new LocalDate(2026, 3, 1), Amsterdam);

    // Europe/Amsterdam moves from CET to CEST at 02:00 on 29 March 2026: that day has 23 hours.
    private static readonly BillingPeriod DstMarch = new(new LocalDate(2026, 3, 1), new LocalDate(2026, 4, 1), Amsterdam);

    private static Proration Change(BillingPeriod period, string from, int fromScreens, string to, int toScreens, Instant at) =>
        new PlanChange(period, ScreenPlan(from), fromScreens, ScreenPlan(to), toScreens, at).Prorate(RoundingPolicy.HalfEven);

    [Fact]
    public void UpgradeMidFebruaryCreditsHalfTheOldPlanAndChargesHalfTheNew()
    {
        // 10:00 local on 15 February: 14 of 28 days remain, the 15th included.
        var proration = Change(February, "Standard", 5, "Pro Plus", 5, Instant.FromUtc(2026, 2, 15, 9, 0));

        Assert.Equal(PlanChangeKind.Upgrade, proration.Kind);
        Assert.Equal(new LocalDate(2026, 2, 15), proration.EffectiveDate);
        Assert.Equal(Instant.FromUtc(2026, 2, 15, 9, 0), proration.EffectiveAt);
        Assert.Equal(28, proration.PeriodDays);
        Assert.Equal(14, proration.RemainingDays);
        Assert.Equal(["Standard: credit for 14 unused of 28 days", "Pro Plus: 14 remaining of 28 days"], proration.Lines.Select(line => line.Service));
        Assert.Equal([14m, 14m], proration.Lines.Select(line => line.Quantity));
        Assert.Equal([-25.00m, 37.50m], Amounts(proration.Lines));
    }

    [Fact]
    public void ProratedAmountsAreRoundedOncePerLine()
    {
        // 9 of 28 days: 50 × 9 / 28 = 16.0714… and 75 × 9 / 28 = 24.1071…
        var proration = Change(February, "Standard", 5, "Pro Plus", 5, Instant.FromUtc(2026, 2, 20, 12, 0));

        Assert.Equal(9, proration.RemainingDays);
        Assert.Equal([-16.07m, 24.11m], Amounts(proration.Lines));
        Assert.Equal(Usd(-50m / 28m), proration.Lines[0].UnitPrice);
    }

    [Theory]
    [InlineData(2026, 3, 28, 22, 59, 4, -12.90, 19.35)]   // 23:59 CET on the 28th
    [InlineData(2026, 3, 28, 23, 0, 3, -9.68, 14.52)]     // 00:00 CET on the 29th, the 23-hour day
    [InlineData(2026, 3, 29, 1, 30, 3, -9.68, 14.52)]     // 03:30 CEST on the 29th, after the clocks moved
    [InlineData(2026, 3, 31, 21, 59, 1, -3.23, 4.84)]     // 23:59 CEST on the 31st, the last day
    public void DstMonthProratesByWholeLocalDaysNotHours(int year, int month, int day, int hour, int minute, int remainingDays, decimal credit, decimal charge)
    {
        // 10 screens: $100 → $150 per month; 31 days whatever the month's 743 hours.
        var proration = Change(DstMarch, "Standard", 10, "Pro Plus", 10, Instant.FromUtc(year, month, day, hour, minute));

        Assert.Equal(31, proration.PeriodDays);
        Assert.Equal(remainingDays, proration.RemainingDays);
        Assert.Equal([credit, charge], Amounts(proration.Lines));
    }

    [Fact]
    public void AutumnDstMonthAlsoCountsLocalDays()
    {
        // Clocks go back at 03:00 CEST on 25 October 2026 (a 25-hour day); 23:30Z that day is 00:30 CET on the 26th.
        var october = new BillingPeriod(new LocalDate(2026, 10, 1), new LocalDate(2026, 11, 1), Amsterdam);

        Assert.Equal(7, Change(october, "Standard", 1, "Engage", 1, Instant.FromUtc(2026, 10, 25, 22, 59)).RemainingDays);
        Assert.Equal(6, Change(october, "Standard", 1, "Engage", 1, Instant.FromUtc(2026, 10, 25, 23, 30)).RemainingDays);
    }

    [Fact]
    public void TheCustomersZoneDecidesTheDayOfTheChange()
    {
        // 03:00Z on 15 February is still 22:00 on the 14th in New York: 15 days remain.
        var newYorkFebruary = new BillingPeriod(new LocalDate(2026, 2, 1), new LocalDate(2026, 3, 1), "America/New_York");

        var proration = Change(newYorkFebruary, "Standard", 5, "Pro Plus", 5, Instant.FromUtc(2026, 2, 15, 3, 0));

        Assert.Equal(new LocalDate(2026, 2, 14), proration.EffectiveDate);
        Assert.Equal(15, proration.RemainingDays);
        Assert.Equal([-26.79m, 40.18m], Amounts(proration.Lines));
    }

    [Fact]
    public void DowngradeTakesEffectAtThePeriodEndWithoutLines()
    {
        var proration = Change(February, "Pro Plus", 5, "Standard", 5, Instant.FromUtc(2026, 2, 15, 9, 0));

        Assert.Equal(PlanChangeKind.Downgrade, proration.Kind);
        Assert.Equal(new LocalDate(2026, 3, 1), proration.EffectiveDate);
        Assert.Equal(Instant.FromUtc(2026, 2, 28, 23, 0), proration.EffectiveAt);
        Assert.Equal(14, proration.RemainingDays);
        Assert.Empty(proration.Lines);
    }

    [Fact]
    public void MoreScreensOnTheSamePlanIsAnUpgradeFewerIsADowngrade()
    {
        var more = Change(February, "Pro Plus", 5, "Pro Plus", 8, Instant.FromUtc(2026, 2, 15, 9, 0));
        var fewer = Change(February, "Pro Plus", 8, "Pro Plus", 5, Instant.FromUtc(2026, 2, 15, 9, 0));

        Assert.Equal(PlanChangeKind.Upgrade, more.Kind);
        Assert.Equal([-37.50m, 60.00m], Amounts(more.Lines));
        Assert.Equal(PlanChangeKind.Downgrade, fewer.Kind);
        Assert.Empty(fewer.Lines);
    }

    [Fact]
    public void SamePriceIsNotAnUpgrade()
    {
        var proration = Change(February, "Pro Plus", 2, "Engage", 1, Instant.FromUtc(2026, 2, 15, 9, 0));

        Assert.Equal(PlanChangeKind.Downgrade, proration.Kind);
        Assert.Empty(proration.Lines);
    }

    [Fact]
    public void UpgradeFromFreeShowsAZeroCredit()
    {
        var proration = Change(February, "Free", 3, "Standard", 3, Instant.FromUtc(2026, 2, 22, 9, 0));

        Assert.Equal(7, proration.RemainingDays);
        Assert.Equal([0.00m, 7.50m], Amounts(proration.Lines));
    }

    [Fact]
    public void UpgradeOnTheFirstDayCreditsAndChargesWholePeriods()
    {
        var proration = Change(February, "Standard", 4, "Enterprise", 4, Instant.FromUtc(2026, 1, 31, 23, 0));

        Assert.Equal(28, proration.RemainingDays);
        Assert.Equal([-40.00m, 180.00m], Amounts(proration.Lines));
    }

    [Fact]
    public void OnlyRecurringFixedChargesAreProrated()
    {
        var usageCharge = new PerUnitCharge("API Calls", UsageMetric.Requests, null, Eur(1m));
        var basic = new PricePlan(PlanId, "Basic", Currency.EUR, [new FlatFeeCharge("Platform", Eur(20m)), usageCharge]);
        var pro = new PricePlan(PlanId, "Pro", Currency.EUR, [new FlatFeeCharge("Platform", Eur(20m)), new PerSeatCharge("Seats", Eur(10m)), usageCharge]);

        var proration = new PlanChange(February, basic, 0, pro, 3, Instant.FromUtc(2026, 2, 15, 9, 0)).Prorate(RoundingPolicy.HalfEven);

        Assert.Equal([-10.00m, 25.00m], Amounts(proration.Lines));  // 20 and 50 per period, half of each
    }

    [Fact]
    public void UpgradeLinesOnThePeriodInvoiceMakeItCostUsedOldDaysPlusRemainingNewDays()
    {
        var standard = ScreenPlan("Standard");
        var proration = new PlanChange(February, standard, 5, ScreenPlan("Pro Plus"), 5, Instant.FromUtc(2026, 2, 15, 9, 0)).Prorate(RoundingPolicy.HalfEven);

        var invoice = Pricer.Price(standard, Usage(seats: 5), 0m, RoundingPolicy.HalfEven, proration.Lines);

        Assert.Equal(Usd(62.50m), invoice.Total);  // 50 × 14/28 + 75 × 14/28
    }

    [Fact]
    public void ChangesOutsideThePeriodOrAcrossCurrenciesAreRefused()
    {
        var euroPlan = new PricePlan(PlanId, "Euro", Currency.EUR, [new FlatFeeCharge("Platform", Eur(10m))]);

        Assert.Throws<ArgumentOutOfRangeException>(() => Change(February, "Standard", 1, "Pro Plus", 1, Instant.FromUtc(2026, 2, 28, 23, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Change(February, "Standard", 1, "Pro Plus", 1, Instant.FromUtc(2026, 1, 31, 22, 59)));
        Assert.Throws<CurrencyMismatchException>(() => new PlanChange(February, ScreenPlan("Standard"), 1, euroPlan, 1, Instant.FromUtc(2026, 2, 15, 9, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Change(February, "Standard", -1, "Pro Plus", 1, Instant.FromUtc(2026, 2, 15, 9, 0)));
    }

    [Fact]
    public void DaysLineBillsItsShareOfAPeriodPriceRoundedOnceAndRefusesDaysOutsideThePeriod()
    {
        var line = PlanChange.DaysLine("Screens: 6 of 7 days", Usd(30m), 7, 6, RoundingPolicy.HalfEven);

        Assert.Equal((6m, 30m / 7, 25.71m), (line.Quantity, line.UnitPrice.Amount, line.Amount.Amount));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlanChange.DaysLine("Screens", Usd(30m), 7, 8, RoundingPolicy.HalfEven));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlanChange.DaysLine("Screens", Usd(30m), 0, 0, RoundingPolicy.HalfEven));
    }
}
