using static Billing.Domain.Tests.Pricing.PricingFixtures;

namespace Billing.Domain.Tests.Pricing;

public sealed class TieredChargeTests
{
    // Up to 1,000 calls at €0.010, up to 10,000 at €0.008, above at €0.005.
    private static readonly PriceTier[] CallTiers =
    [
        new(1_000, Eur(0.010m)),
        new(10_000, Eur(0.008m)),
        new(null, Eur(0.005m)),
    ];

    private static decimal Total(TierMode mode, long requests, RoundingPolicy rounding, params PriceTier[] tiers)
    {
        var plan = PlanOf(Currency.EUR, new TieredCharge("API Calls", UsageMetric.Requests, mode, tiers.Length == 0 ? CallTiers : tiers));
        return Pricer.Price(plan, Usage(requests: requests), 0m, rounding).Subtotal.Amount;
    }

    private static IReadOnlyList<InvoiceLine> Lines(TierMode mode, long requests, params PriceTier[] tiers) =>
        Pricer.PriceLines(PlanOf(Currency.EUR, new TieredCharge("API Calls", UsageMetric.Requests, mode, tiers)), Usage(requests: requests), RoundingPolicy.HalfEven);

    [Theory]
    [InlineData(0, 0.00, 0.00)]
    [InlineData(999, 9.99, 9.99)]
    [InlineData(1_000, 10.00, 10.00)]
    [InlineData(1_001, 10.01, 8.01)]      // graduated: 10.00 + 1 × 0.008 → 0.01; volume: 1,001 × 0.008 = 8.008
    [InlineData(9_999, 81.99, 79.99)]     // graduated: 10.00 + 8,999 × 0.008 = 71.992; volume: 79.992
    [InlineData(10_000, 82.00, 80.00)]
    [InlineData(10_001, 82.00, 50.00)]    // graduated: + 1 × 0.005 rounds to 0.00; volume: 10,001 × 0.005 = 50.005 → 50.00 half-even
    [InlineData(10_002, 82.01, 50.01)]
    public void GraduatedAndVolumeDifferAtAroundAndOnTierBoundaries(long requests, decimal graduated, decimal volume)
    {
        Assert.Equal(graduated, Total(TierMode.Graduated, requests, RoundingPolicy.HalfEven));
        Assert.Equal(volume, Total(TierMode.Volume, requests, RoundingPolicy.HalfEven));
    }

    [Fact]
    public void VolumeTieRoundsDifferentlyUnderHalfUp()
    {
        Assert.Equal(50.00m, Total(TierMode.Volume, 10_001, RoundingPolicy.HalfEven));
        Assert.Equal(50.01m, Total(TierMode.Volume, 10_001, RoundingPolicy.HalfUp));
        Assert.Equal(82.00m, Total(TierMode.Graduated, 10_001, RoundingPolicy.HalfEven));
        Assert.Equal(82.01m, Total(TierMode.Graduated, 10_001, RoundingPolicy.HalfUp));
    }

    [Fact]
    public void GraduatedShowsOneLinePerTierReachedEachRoundedOnItsOwn()
    {
        var lines = Lines(TierMode.Graduated, 10_001, CallTiers);

        Assert.Equal(["API Calls, tier 1: 1 to 1000", "API Calls, tier 2: 1001 to 10000", "API Calls, tier 3: from 10001"], lines.Select(line => line.Service));
        Assert.Equal([1_000m, 9_000m, 1m], lines.Select(line => line.Quantity));
        Assert.Equal([0.010m, 0.008m, 0.005m], lines.Select(line => line.UnitPrice.Amount));
        Assert.Equal([10.00m, 72.00m, 0.00m], Amounts(lines));
    }

    [Fact]
    public void GraduatedStopsAtTheTierHoldingTheLastUnit()
    {
        var lines = Lines(TierMode.Graduated, 1_000, CallTiers);

        Assert.Equal(["API Calls, tier 1: 1 to 1000"], lines.Select(line => line.Service));
    }

    [Fact]
    public void VolumeShowsOneLineWithAllUnitsAtTheTierOfTheTotal()
    {
        var line = Assert.Single(Lines(TierMode.Volume, 9_999, CallTiers));

        AssertLine(line, "API Calls, all units at tier 2: 1001 to 10000", 9_999m, Eur(0.008m), Eur(79.99m));
    }

    [Fact]
    public void GraduatedTierFlatFeesApplyToEveryTierReached()
    {
        PriceTier[] tiers = [new(100, Eur(0m), Eur(5m)), new(null, Eur(0.02m), Eur(10m))];

        Assert.Equal([0.00m], Amounts(Lines(TierMode.Graduated, 0, tiers)));
        Assert.Equal([0.00m, 5.00m], Amounts(Lines(TierMode.Graduated, 50, tiers)));
        var lines = Lines(TierMode.Graduated, 150, tiers);
        Assert.Equal(
            ["API Calls, tier 1: 1 to 100", "API Calls, tier 1 flat fee", "API Calls, tier 2: from 101", "API Calls, tier 2 flat fee"],
            lines.Select(line => line.Service));
        Assert.Equal([0.00m, 5.00m, 1.00m, 10.00m], Amounts(lines));
    }

    [Fact]
    public void VolumeFlatFeeIsTheOneOfTheTierHoldingTheTotal()
    {
        PriceTier[] tiers = [new(100, Eur(0m), Eur(5m)), new(null, Eur(0.02m), Eur(10m))];

        Assert.Equal([0.00m], Amounts(Lines(TierMode.Volume, 0, tiers)));
        Assert.Equal([0.00m, 5.00m], Amounts(Lines(TierMode.Volume, 100, tiers)));
        Assert.Equal([3.00m, 10.00m], Amounts(Lines(TierMode.Volume, 150, tiers)));
    }

    [Fact]
    public void TiersCanPriceTokens()
    {
        var plan = PlanOf(Currency.EUR, new TieredCharge("Tokens", UsageMetric.Tokens, TierMode.Graduated, [new(1_000_000, Eur(0.000002m)), new(null, Eur(0.000001m))]));

        var invoice = Pricer.Price(plan, Usage(requests: 1, tokens: 3_500_000), 0m, RoundingPolicy.HalfEven);

        Assert.Equal([2.00m, 2.50m], Amounts(invoice.Lines));
    }

    [Fact]
    public void TieredChargesWithTheSameTiersAreEqual()
    {
        var one = new TieredCharge("API Calls", UsageMetric.Requests, TierMode.Volume, CallTiers);
        var other = new TieredCharge("API Calls", UsageMetric.Requests, TierMode.Volume, [.. CallTiers]);

        Assert.Equal(one, other);
        Assert.Equal(one.GetHashCode(), other.GetHashCode());
        Assert.NotEqual(one, new TieredCharge("API Calls", UsageMetric.Requests, TierMode.Graduated, CallTiers));
    }
}
