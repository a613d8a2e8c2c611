using NodaTime;
using static Billing.Domain.Tests.Pricing.PricePlanValidationTests;
using static Billing.Domain.Tests.Pricing.PricingFixtures;

namespace Billing.Domain.Tests.Pricing;

/// <summary>The field rules of each charge type, as drafts report them and as the typed constructors enforce them.</summary>
public sealed class ChargeValidationTests
{
    [Theory]
    [InlineData(-0.01, "charges[0].amount must be between 0 and 1000000000")]
    [InlineData(1000000000.01, "charges[0].amount must be between 0 and 1000000000")]
    [InlineData(15.001, "charges[0].amount must have at most 2 decimal places in EUR")]
    public void FlatAmountsAreBoundedWholeMinorUnits(double amount, string expected)
    {
        Assert.Equal(expected, OnlyErrorOf(new ChargeDraft("flat", "Platform", Amount: (decimal)amount)).Message);
    }

    [Theory]
    [InlineData(0.000001, null)]
    [InlineData(0.0000001, "charges[0].unit_price must have at most 6 decimal places")]
    [InlineData(-0.0005, "charges[0].unit_price must be between 0 and 1000000000")]
    public void UnitPricesMayBeSubMinorToSixDecimals(double unitPrice, string? expected)
    {
        var draft = Valid with { Charges = [new ChargeDraft("per_unit", "Calls", Metric: "requests", UnitPrice: (decimal)unitPrice)] };

        Assert.Equal(expected, PricePlan.TryCreate(PlanId, draft, out _, out var errors) ? null : Assert.Single(errors).Message);
    }

    [Fact]
    public void MetricsModesAndPrefixesAreChecked()
    {
        var errors = ErrorsOf(Valid with
        {
            Charges =
            [
                new ChargeDraft("per_unit", "Calls", Metric: "bytes", EndpointPrefix: "api/v1", UnitPrice: 0.01m),
                new ChargeDraft("tiered", "Tiers", Metric: "requests", Mode: "stairs", Tiers: GoodTiers),
            ],
        });

        Assert.Equal(
            [
                ("charges[0].metric", "charges[0].metric 'bytes' is not one of requests, tokens, errors"),
                ("charges[0].endpoint_prefix", "charges[0].endpoint_prefix must start with '/', have no spaces or control characters and be at most 200 characters"),
                ("charges[1].mode", "charges[1].mode 'stairs' is not one of graduated, volume"),
            ],
            errors.Select(e => (e.Field, e.Message)));
    }

    [Fact]
    public void TierErrorsPointAtTheTierAndField()
    {
        var tiers = new TierDraft?[] { new(1_000, -0.01m), new(1_000, 0.0000001m, 0.001m), new(null, 0.01m), null, new(5_000, 0.01m) };

        var errors = ErrorsOf(Valid with { Charges = [new ChargeDraft("tiered", "Tiers", Metric: "requests", Mode: "volume", Tiers: tiers)] });

        Assert.Equal(
            [
                ("charges[0].tiers[0].unit_price", "charges[0].tiers[0].unit_price must be between 0 and 1000000000"),
                ("charges[0].tiers[1].up_to", "charges[0].tiers[1].up_to must be greater than the previous tier's up_to (1000)"),
                ("charges[0].tiers[1].unit_price", "charges[0].tiers[1].unit_price must have at most 6 decimal places"),
                ("charges[0].tiers[1].flat_fee", "charges[0].tiers[1].flat_fee must have at most 2 decimal places in EUR"),
                ("charges[0].tiers[2].up_to", "charges[0].tiers[2].up_to is required: only the last tier is open-ended"),
                ("charges[0].tiers[3]", "charges[0].tiers[3] is required"),
                ("charges[0].tiers[4].up_to", "charges[0].tiers[4].up_to must be empty: the last tier holds every unit above the tier before it"),
            ],
            errors.Select(e => (e.Field, e.Message)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TieredCharge.MaxTiers + 1)]
    public void TierCountIsBounded(int count)
    {
        var tiers = Enumerable.Range(1, count).Select(i => new TierDraft(i == count ? null : i * 10L, 0.01m)).ToArray();

        var error = OnlyErrorOf(new ChargeDraft("tiered", "Tiers", Metric: "requests", Mode: "volume", Tiers: tiers));

        Assert.Equal($"charges[0].tiers must have between 1 and 20 tiers (got {count})", error.Message);
    }

    [Fact]
    public void TierBoundsMustBePositive()
    {
        var error = OnlyErrorOf(new ChargeDraft("tiered", "Tiers", Metric: "requests", Mode: "volume", Tiers: [new(0, 0.01m), new(null, 0.01m)]));

        Assert.Equal("charges[0].tiers[0].up_to must be between 1 and 1000000000000000", error.Message);
    }

    [Theory]
    [InlineData(1.5, "charges[0].percentage must be a fraction between 0 and 1 (0.05 = 5%) with at most 4 decimal places")]
    [InlineData(-0.05, "charges[0].percentage must be a fraction between 0 and 1 (0.05 = 5%) with at most 4 decimal places")]
    [InlineData(0.12345, "charges[0].percentage must be a fraction between 0 and 1 (0.05 = 5%) with at most 4 decimal places")]
    public void PercentagesAreFractionsOfOne(double percentage, string expected)
    {
        Assert.Equal(expected, OnlyErrorOf(new ChargeDraft("revenue_share", "Share", Percentage: (decimal)percentage)).Message);
    }

    [Fact]
    public void PackageSizeIsAtLeastOne()
    {
        var error = OnlyErrorOf(new ChargeDraft("package", "Bundles", Metric: "requests", PackageSize: 0, PricePerPackage: 5m));

        Assert.Equal(("charges[0].package_size", "charges[0].package_size must be between 1 and 1000000000000000"), (error.Field, error.Message));
    }

    [Fact]
    public void FraudRuleErrorsPointIntoFraudRules()
    {
        var error = OnlyErrorOf(new ChargeDraft("revenue_share", "Share", Percentage: 0.05m, FraudRules: new(FingerprintWindowMinutes: 0)));

        Assert.Equal(
            ("charges[0].fraud_rules.fingerprint_window_minutes", "charges[0].fraud_rules.fingerprint_window_minutes must be between 1 and 44640"),
            (error.Field, error.Message));
    }

    [Fact]
    public void AbsentFraudRulesAreTheDefaults()
    {
        Assert.True(PricePlan.TryCreate(PlanId, Valid with { Charges = [new ChargeDraft("revenue_share", "Share", Percentage: 0.05m)] }, out var plan, out _));

        Assert.Equal(FraudRules.Default, Assert.IsType<RevenueShareCharge>(Assert.Single(plan.Charges)).FraudRules);
    }

    [Fact]
    public void TypedConstructorsThrowWithTheSameMessages()
    {
        var error = Assert.Throws<CatalogValidationException>(() => new PerUnitCharge(" ", UsageMetric.Requests, null, Eur(-1m)));

        Assert.Equal("Invalid per_unit charge: service is required; unit_price must be between 0 and 1000000000.", error.Message);
        Assert.Throws<CatalogValidationException>(() => new TieredCharge("Tiers", UsageMetric.Requests, TierMode.Volume, [new(10, Eur(0.01m))]));
        Assert.Throws<CatalogValidationException>(() => new PackageCharge("Bundles", (UsageMetric)9, 10, Eur(1m)));
        Assert.Throws<CatalogValidationException>(() => new RevenueShareCharge("Share", 2m, FraudRules.Default));
        Assert.Throws<CatalogValidationException>(() => new PerSeatCharge("Seats", Eur(0.001m)));
    }
}
