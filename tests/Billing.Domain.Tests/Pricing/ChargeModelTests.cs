using static Billing.Domain.Tests.Pricing.PricingFixtures;

namespace Billing.Domain.Tests.Pricing;

public sealed class ChargeModelTests
{
    [Fact]
    public void FlatFeeIsOneLineOfQuantityOne()
    {
        var line = Assert.Single(Pricer.PriceLines(PlanOf(Currency.EUR, new FlatFeeCharge("Platform", Eur(49m))), Usage(requests: 5), RoundingPolicy.HalfEven));

        AssertLine(line, "Platform", 1m, Eur(49.00m), Eur(49.00m));
        Assert.Equal("EUR 49.00", line.Amount.ToString());
    }

    [Fact]
    public void PerRequestPriceOfSeed000ChargesOneCentPerRequest()
    {
        var plan = PlanOf(Currency.USD, new PerUnitCharge("API requests", UsageMetric.Requests, null, Usd(0.01m)));

        var line = Assert.Single(Pricer.PriceLines(plan, Usage(requests: 437), RoundingPolicy.HalfEven));

        Assert.Equal(437m, line.Quantity);
        Assert.Equal(Usd(4.37m), line.Amount);
    }

    [Theory]
    [InlineData(UsageMetric.Requests, 3.00)]
    [InlineData(UsageMetric.Tokens, 45.00)]
    [InlineData(UsageMetric.Errors, 0.02)]
    public void PerUnitChargesCountTheirMetric(UsageMetric metric, decimal expected)
    {
        var plan = PlanOf(Currency.EUR, new PerUnitCharge("Usage", metric, null, Eur(0.001m)));

        var line = Assert.Single(Pricer.PriceLines(plan, Usage(requests: 3_000, tokens: 45_000, errors: 17), RoundingPolicy.HalfEven));

        Assert.Equal(Eur(expected), line.Amount);
    }

    [Fact]
    public void EndpointPrefixCountsOnlyTheEndpointsOfItsService()
    {
        // Seed 004: RTSP streaming at €0.001 per request, API calls at €0.0005.
        var plan = PlanOf(
            Currency.EUR,
            new PerUnitCharge("RTSP Streaming", UsageMetric.Requests, "/api/rtsp/", Eur(0.001m)),
            new PerUnitCharge("API Calls", UsageMetric.Requests, "/api/v1/", Eur(0.0005m)),
            new PerUnitCharge("All requests", UsageMetric.Requests, null, Eur(0m)));
        var usage = Usage(requests: 6_100, endpoints:
        [
            new("/api/rtsp/streams", 1_000, 0, 0),
            new("/api/v1/detect", 3_000, 0, 0),
            new("/api/v1/status", 2_000, 0, 0),
            new(PeriodUsage.UnknownEndpoint, 100, 0, 0),
        ]);

        var lines = Pricer.PriceLines(plan, usage, RoundingPolicy.HalfEven);

        Assert.Equal([1_000m, 5_000m, 6_100m], lines.Select(line => line.Quantity));
        Assert.Equal([1.00m, 2.50m, 0.00m], Amounts(lines));
    }

    [Fact]
    public void EndpointPrefixIsAPlainOrdinalPrefix()
    {
        var usage = Usage(requests: 30, endpoints: [new("/api/calls", 10, 0, 0), new("/api/callsv2", 10, 0, 0), new("/API/calls", 10, 0, 0)]);

        Assert.Equal(20, usage.Quantity(UsageMetric.Requests, "/api/calls"));
        Assert.Equal(10, usage.Quantity(UsageMetric.Requests, "/api/callsv"));
        Assert.Equal(0, usage.Quantity(UsageMetric.Requests, "/api/calls/"));
    }

    [Theory]
    [InlineData("Free", 0.00)]
    [InlineData("Standard", 80.00)]
    [InlineData("Pro Plus", 120.00)]
    [InlineData("Engage", 240.00)]
    [InlineData("Enterprise", 360.00)]
    public void Seed003PerScreenPlansChargeEachScreenPerMonth(string plan, decimal expected)
    {
        var line = Assert.Single(Pricer.PriceLines(ScreenPlan(plan), Usage(seats: 8), RoundingPolicy.HalfEven));

        AssertLine(line, "Screens", 8m, Usd(PricePerScreen(plan)), Usd(expected));
    }

    [Theory]
    [InlineData(0, 0, 0.00)]
    [InlineData(1, 1, 5.00)]
    [InlineData(999, 1, 5.00)]
    [InlineData(1_000, 1, 5.00)]
    [InlineData(1_001, 2, 10.00)]
    [InlineData(2_000, 2, 10.00)]
    [InlineData(2_001, 3, 15.00)]
    public void PartialPackagesRoundUp(long requests, long packages, decimal expected)
    {
        var plan = PlanOf(Currency.EUR, new PackageCharge("Request bundles", UsageMetric.Requests, 1_000, Eur(5m)));

        var line = Assert.Single(Pricer.PriceLines(plan, Usage(requests: requests), RoundingPolicy.HalfEven));

        AssertLine(line, $"Request bundles ({requests} requests, 1000 per package)", packages, Eur(5.00m), Eur(expected));
    }

    [Fact]
    public void PackageOfOneUnitIsAPerUnitPrice()
    {
        var charge = new PackageCharge("Tokens", UsageMetric.Tokens, 1, Eur(0.01m));

        Assert.Equal(123, charge.PackagesFor(123));
        Assert.Equal(0, charge.PackagesFor(0));
    }

    [Fact]
    public void ZeroUsageStillShowsEveryChargeWithAmountZero()
    {
        var plan = PlanOf(
            Currency.EUR,
            new PerUnitCharge("API Calls", UsageMetric.Requests, "/api/", Eur(0.0005m)),
            new PerSeatCharge("Seats", Eur(10m)),
            new TieredCharge("Tokens", UsageMetric.Tokens, TierMode.Graduated, [new PriceTier(1_000, Eur(0.01m), Eur(2m)), new PriceTier(null, Eur(0.005m))]),
            new TieredCharge("Errors", UsageMetric.Errors, TierMode.Volume, [new PriceTier(10, Eur(0m)), new PriceTier(null, Eur(0.10m), Eur(1m))]),
            new PackageCharge("Bundles", UsageMetric.Requests, 100, Eur(1m)),
            new RevenueShareCharge("Revenue share", 0.05m, FraudRules.Default));

        var invoice = Pricer.Price(plan, BillableUsage.None, 0.21m, RoundingPolicy.HalfEven);

        Assert.Equal(
            ["API Calls", "Seats", "Tokens, tier 1: 1 to 1000", "Errors, all units at tier 1: 1 to 10", "Bundles (0 requests, 100 per package)", "Revenue share: 5% of EUR 0.00"],
            invoice.Lines.Select(line => line.Service));
        Assert.All(invoice.Lines, line => Assert.Equal(0m, line.Quantity));
        Assert.All(invoice.Lines, line => Assert.Equal(Eur(0m), line.Amount));
        Assert.Equal(Eur(0m), invoice.Total);
    }

    [Fact]
    public void LinesFollowThePlansChargeOrder()
    {
        var plan = PlanOf(Currency.EUR, new PerSeatCharge("Seats", Eur(10m)), new FlatFeeCharge("Platform", Eur(20m)));

        var invoice = Pricer.Price(plan, Usage(seats: 3), 0m, RoundingPolicy.HalfEven);

        Assert.Equal(["Seats", "Platform"], invoice.Lines.Select(line => line.Service));
        Assert.Equal(Eur(50.00m), invoice.Total);
    }

    [Fact]
    public void OnlyFlatAndPerSeatChargesAreRecurringFixed()
    {
        var plan = PlanOf(
            Currency.EUR,
            new FlatFeeCharge("Platform", Eur(20m)),
            new PerSeatCharge("Seats", Eur(10m)),
            new PerUnitCharge("Calls", UsageMetric.Requests, null, Eur(1m)),
            new PackageCharge("Bundles", UsageMetric.Requests, 10, Eur(1m)));

        Assert.Equal([true, true, false, false], plan.Charges.Select(charge => charge.IsRecurringFixed));
        Assert.Equal(Eur(70.00m), plan.FixedPricePerPeriod(seats: 5));
        Assert.Equal(Eur(20.00m), plan.FixedPricePerPeriod(seats: 0));
    }
}
