using NodaTime;
using static Billing.Domain.Tests.Pricing.PricingFixtures;

namespace Billing.Domain.Tests.Pricing;

public sealed class RevenueShareTests
{
    private static InvoiceLine ShareLine(FraudRules rules, decimal percentage, params RevenueEvent[] revenue) =>
        Assert.Single(Pricer.PriceLines(PlanOf(Currency.EUR, new RevenueShareCharge("Revenue share", percentage, rules)), Usage(revenue: revenue), RoundingPolicy.HalfEven));

    private static RevenueScreening Screen(FraudRules rules, params RevenueEvent[] revenue) => rules.Screen(revenue, Currency.EUR);

    [Fact]
    public void ShareIsAPercentageOfTheAttributedRevenue()
    {
        var line = ShareLine(FraudRules.Default, 0.05m, Sale("A", 100m, 2, 10), Sale("B", 200m, 3, 10), Sale("C", 934m, 4, 10));

        AssertLine(line, "Revenue share: 5% of EUR 1234.00", 1_234.00m, Eur(0.05m), Eur(61.70m));
    }

    [Fact]
    public void LineSaysHowManyEventsWereExcluded()
    {
        var line = ShareLine(
            FraudRules.Default,
            0.05m,
            Sale("A", 1_000m, 2, 10),
            Sale("B", 234m, 3, 10),
            Sale("T", 50m, 3, 11, flags: RevenueEventFlags.Test),
            Sale("R", 70m, 3, 12, flags: RevenueEventFlags.Refunded),
            Sale("A", 1_000m, 4, 10));

        Assert.Equal("Revenue share: 5% of EUR 1234.00 (3 events excluded)", line.Service);
        Assert.Equal(Eur(61.70m), line.Amount);
        Assert.Equal("Revenue share: 5% of EUR 100.00 (1 event excluded)", ShareLine(FraudRules.Default, 0.05m, Sale("A", 100m, 2, 10), Sale("A", 100m, 2, 11)).Service);
    }

    [Fact]
    public void FractionalPercentagesAndHalfEvenShares()
    {
        Assert.Equal("Revenue share: 12.5% of EUR 100.00", ShareLine(FraudRules.Default, 0.125m, Sale("A", 100m, 2, 10)).Service);
        Assert.Equal(Eur(12.50m), ShareLine(FraudRules.Default, 0.125m, Sale("A", 100m, 2, 10)).Amount);
        Assert.Equal(Eur(0.02m), ShareLine(FraudRules.Default, 0.05m, Sale("A", 0.50m, 2, 10)).Amount);  // 0.025 → 0.02
    }

    [Fact]
    public void RefundedOrdersEarnNothingEvenWhenTheRefundArrivesAsASeparateEvent()
    {
        var sale = Sale("A", 100m, 2, 10);
        var refund = Sale("A", 100m, 5, 9, flags: RevenueEventFlags.Refunded);
        var other = Sale("B", 50m, 3, 10);

        var screening = Screen(FraudRules.Default, sale, other, refund);

        Assert.Equal([other], screening.Counted);
        Assert.Equal([new ExcludedRevenueEvent(sale, RevenueExclusionReason.Refunded), new ExcludedRevenueEvent(refund, RevenueExclusionReason.Refunded)], screening.Excluded);
        Assert.Equal(Eur(50.00m), screening.CountedRevenue);
        Assert.Equal(Eur(2.50m), ShareLine(FraudRules.Default, 0.05m, sale, other, refund).Amount);
    }

    [Fact]
    public void TestOrdersAreExcluded()
    {
        var test = Sale("T", 999m, 2, 10, flags: RevenueEventFlags.Test);

        var screening = Screen(FraudRules.Default, test, Sale("B", 40m, 2, 11));

        Assert.Equal(new ExcludedRevenueEvent(test, RevenueExclusionReason.TestOrder), Assert.Single(screening.Excluded));
        Assert.Equal(Eur(40.00m), screening.CountedRevenue);
    }

    [Fact]
    public void RefundedTakesPrecedenceOverTest()
    {
        var both = Sale("X", 10m, 2, 10, flags: RevenueEventFlags.Refunded | RevenueEventFlags.Test);

        Assert.Equal(RevenueExclusionReason.Refunded, Assert.Single(Screen(FraudRules.Default, both).Excluded).Reason);
    }

    [Fact]
    public void DuplicateOrderIdsCountOnceTheEarliestByTime()
    {
        var later = Sale("C", 80m, 2, 10, minute: 5);
        var earlier = Sale("C", 80m, 2, 10);

        var screening = Screen(FraudRules.Default, later, earlier, Sale("D", 20m, 2, 11));

        Assert.Equal(new ExcludedRevenueEvent(later, RevenueExclusionReason.DuplicateOrder), Assert.Single(screening.Excluded));
        Assert.Equal(earlier, screening.Counted[0]);
        Assert.Equal(Eur(100.00m), screening.CountedRevenue);
    }

    [Fact]
    public void SingleSalesAboveTheMaximumAreExcludedAndTheMaximumItselfCounts()
    {
        var rules = new FraudRules(Eur(500m), FraudRules.DefaultMaxEventsPerFingerprint, Duration.FromHours(1));
        var atMax = Sale("A", 500.00m, 2, 10);
        var above = Sale("B", 500.01m, 2, 11);

        var screening = Screen(rules, atMax, above);

        Assert.Equal([atMax], screening.Counted);
        Assert.Equal(new ExcludedRevenueEvent(above, RevenueExclusionReason.AboveMaxAmount), Assert.Single(screening.Excluded));
        Assert.Equal(Eur(25.00m), ShareLine(rules, 0.05m, atMax, above).Amount);
    }

    [Fact]
    public void TooManySalesFromOneFingerprintInsideTheWindowAreExcludedWhileTheBurstLasts()
    {
        var rules = new FraudRules(null, 3, Duration.FromHours(1));
        var sales = new[]
        {
            Sale("1", 10m, 2, 10, 0, "fp1"),
            Sale("2", 10m, 2, 10, 10, "fp1"),
            Sale("3", 10m, 2, 10, 20, "fp1"),
            Sale("4", 10m, 2, 10, 30, "fp1"),   // 3 already in the hour before: excluded
            Sale("5", 10m, 2, 11, 0, "fp1"),    // 10:00..11:00 holds four earlier sales: excluded
            Sale("6", 10m, 2, 11, 25, "fp1"),   // only 10:30 and 11:00 within the hour: counted
            Sale("7", 10m, 2, 10, 35, "fp2"),   // another buyer
            Sale("8", 10m, 2, 10, 36),          // no fingerprint: the velocity rule cannot apply
        };

        var screening = Screen(rules, sales);

        Assert.Equal(["4", "5"], screening.Excluded.Select(e => e.Event.OrderId));
        Assert.All(screening.Excluded, e => Assert.Equal(RevenueExclusionReason.FingerprintVelocity, e.Reason));
        Assert.Equal(["1", "2", "3", "6", "7", "8"], screening.Counted.Select(e => e.OrderId));
        Assert.Equal(Eur(60.00m), screening.CountedRevenue);
    }

    [Fact]
    public void TheWindowIncludesASaleExactlyOneWindowEarlier()
    {
        var rules = new FraudRules(null, 2, Duration.FromHours(1));

        var screening = Screen(rules, Sale("1", 10m, 2, 10, 0, "fp"), Sale("2", 10m, 2, 10, 30, "fp"), Sale("3", 10m, 2, 11, 0, "fp"), Sale("4", 10m, 2, 11, 31, "fp"));

        // At 11:00 the 10:00 sale is exactly an hour before: with 10:30 that makes two. At 11:31 only 11:00 is within the hour.
        Assert.Equal(["3"], screening.Excluded.Select(e => e.Event.OrderId));
    }

    [Fact]
    public void ExcludedSalesKeepTheWindowFullSoASustainedBurstStaysExcluded()
    {
        var rules = new FraudRules(null, 1, Duration.FromHours(1));

        var screening = Screen(rules, Sale("1", 10m, 2, 10, 0, "fp"), Sale("2", 10m, 2, 10, 50, "fp"), Sale("3", 10m, 2, 11, 10, "fp"), Sale("4", 10m, 2, 12, 11, "fp"));

        // 11:10 is more than an hour after the one counted sale, but the excluded 10:50 one is within the hour.
        Assert.Equal(["1", "4"], screening.Counted.Select(e => e.OrderId));
    }

    [Fact]
    public void ExcludedEventsDoNotFillTheVelocityWindowUnlessTheyReachedIt()
    {
        var rules = new FraudRules(null, 1, Duration.FromHours(1));

        var screening = Screen(rules, Sale("T", 10m, 2, 10, 0, "fp", RevenueEventFlags.Test), Sale("A", 10m, 2, 10, 5, "fp"));

        Assert.Equal(["A"], screening.Counted.Select(e => e.OrderId));
    }

    [Fact]
    public void ScreeningIsAvailableToTheCallerForTheInvoiceDetail()
    {
        var charge = new RevenueShareCharge("Revenue share", 0.05m, FraudRules.Default);
        var usage = Usage(revenue: [Sale("A", 10m, 2, 10), Sale("A", 10m, 2, 11)]);

        var screening = charge.Screen(usage, Currency.EUR);

        Assert.Equal(RevenueExclusionReason.DuplicateOrder, Assert.Single(screening.Excluded).Reason);
    }

    [Fact]
    public void RevenueInAnotherCurrencyIsRefused()
    {
        var dollars = new RevenueEvent("A", Usd(10m), Instant.FromUtc(2026, 3, 2, 10, 0));

        Assert.Throws<CurrencyMismatchException>(() => ShareLine(FraudRules.Default, 0.05m, dollars));
    }

    [Fact]
    public void RevenueEventsAreCheckedWhenMade()
    {
        var at = Instant.FromUtc(2026, 3, 2, 10, 0);

        Assert.Throws<ArgumentOutOfRangeException>(() => new RevenueEvent("A", Eur(-1m), at));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RevenueEvent("A", Eur(1.005m), at));
        Assert.Throws<ArgumentException>(() => new RevenueEvent(" ", Eur(1m), at));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RevenueEvent(new string('o', RevenueEvent.MaxOrderIdLength + 1), Eur(1m), at));
        Assert.Throws<ArgumentException>(() => new RevenueEvent("A", Eur(1m), at, customerFingerprint: " "));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RevenueEvent("A", Eur(1m), at, flags: (RevenueEventFlags)4));
    }

    [Fact]
    public void FraudRulesAreBounded()
    {
        var error = Assert.Throws<CatalogValidationException>(() => new FraudRules(Eur(0m), 0, Duration.FromSeconds(90)));

        Assert.Equal(
            "Invalid fraud rules: fingerprint_window_minutes must be a whole number of minutes; max_event_amount must be above 0 (leave it out for no cap); max_events_per_fingerprint must be between 1 and 10000.",
            error.Message);
        Assert.Throws<CatalogValidationException>(() => new FraudRules(null, 10, Duration.FromDays(32)));
        Assert.Equal(Duration.FromDays(31), new FraudRules(null, 10, Duration.FromDays(31)).FingerprintWindow);
    }
}
