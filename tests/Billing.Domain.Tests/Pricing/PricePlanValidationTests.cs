using NodaTime;
using static Billing.Domain.Tests.Pricing.PricingFixtures;

namespace Billing.Domain.Tests.Pricing;

public sealed class PricePlanValidationTests
{
    internal static readonly TierDraft[] GoodTiers = [new(1_000, 0.01m), new(10_000, 0.008m, 2m), new(null, 0.005m)];

    private static readonly ChargeDraft[] EveryType =
    [
        new("flat", " Platform ", Amount: 49m),
        new("per_unit", "API Calls", Metric: "requests", EndpointPrefix: " /api/v1/ ", UnitPrice: 0.0005m),
        new("per_seat", "Screens", PricePerSeat: 15m),
        new("tiered", "Tokens", Metric: "tokens", Mode: "graduated", Tiers: GoodTiers),
        new("package", "Bundles", Metric: "requests", PackageSize: 1_000, PricePerPackage: 5m),
        new("revenue_share", "Revenue share", Percentage: 0.05m, FraudRules: new(MaxEventAmount: 500m, MaxEventsPerFingerprint: 3)),
    ];

    internal static readonly PricePlanDraft Valid = new(" Growth ", "eur", EveryType);

    internal static IReadOnlyList<FieldError> ErrorsOf(PricePlanDraft draft)
    {
        Assert.False(PricePlan.TryCreate(PlanId, draft, out var plan, out var errors));
        Assert.Null(plan);
        return errors;
    }

    internal static FieldError OnlyErrorOf(params ChargeDraft[] charges) => Assert.Single(ErrorsOf(Valid with { Charges = charges }));

    [Fact]
    public void AValidDraftWithEveryChargeTypeBecomesAPlan()
    {
        Assert.True(PricePlan.TryCreate(PlanId, Valid, out var plan, out var errors));

        Assert.Empty(errors);
        Assert.Equal("Growth", plan.Name);
        Assert.Equal(Currency.EUR, plan.Currency);
        Assert.Equal(
            [ChargeType.Flat, ChargeType.PerUnit, ChargeType.PerSeat, ChargeType.Tiered, ChargeType.Package, ChargeType.RevenueShare],
            plan.Charges.Select(charge => charge.Type));
        Assert.Equal(new FlatFeeCharge("Platform", Eur(49m)), plan.Charges[0]);
        Assert.Equal(new PerUnitCharge("API Calls", UsageMetric.Requests, "/api/v1/", Eur(0.0005m)), plan.Charges[1]);
        Assert.Equal(
            new TieredCharge("Tokens", UsageMetric.Tokens, TierMode.Graduated, [new(1_000, Eur(0.01m)), new(10_000, Eur(0.008m), Eur(2m)), new(null, Eur(0.005m))]),
            plan.Charges[3]);
        var share = Assert.IsType<RevenueShareCharge>(plan.Charges[5]);
        Assert.Equal(0.05m, share.Percentage);
        Assert.Equal(new FraudRules(Eur(500m), 3, Duration.FromMinutes(FraudRules.DefaultFingerprintWindowMinutes)), share.FraudRules);
    }

    [Fact]
    public void APlanRoundTripsThroughItsDraft()
    {
        Assert.True(PricePlan.TryCreate(PlanId, Valid, out var plan, out _));

        Assert.True(PricePlan.TryCreate(PlanId, plan.ToDraft(), out var again, out var errors));

        Assert.Empty(errors);
        Assert.Equal(plan, again);
        Assert.Equal("per_unit", plan.ToDraft().Charges![1]!.Type);
        Assert.Equal("EUR", plan.ToDraft().Currency);
    }

    [Fact]
    public void AnEmptyDraftListsEveryRequiredField()
    {
        var errors = ErrorsOf(new PricePlanDraft(null, null, null));

        Assert.Equal(["name is required", "currency is required", "charges is required"], errors.Select(e => e.Message));
        Assert.Equal(["name", "currency", "charges"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(PricePlan.MaxCharges + 1)]
    public void AMaximumOfTwentyChargesAndAtLeastOne(int count)
    {
        var charges = Enumerable.Range(0, count).Select(i => new ChargeDraft("flat", $"Fee {i}", Amount: 1m)).ToArray();

        var error = Assert.Single(ErrorsOf(Valid with { Charges = charges }));

        Assert.Equal(("charges", $"charges must have between 1 and 20 charges (got {count})"), (error.Field, error.Message));
    }

    [Fact]
    public void TwentyChargesAreAllowed()
    {
        var charges = Enumerable.Range(0, PricePlan.MaxCharges).Select(i => new ChargeDraft("flat", $"Fee {i}", Amount: 1m)).ToArray();

        Assert.True(PricePlan.TryCreate(PlanId, Valid with { Charges = charges }, out _, out _));
    }

    [Fact]
    public void UnknownAndMissingTypesNameTheAllowedTypes()
    {
        var errors = ErrorsOf(Valid with { Charges = [new("metered", "X"), new(null, "Y"), null] });

        Assert.Equal(
            [
                ("charges[0].type", "charges[0].type 'metered' is not one of flat, per_unit, per_seat, tiered, package, revenue_share"),
                ("charges[1].type", "charges[1].type is required"),
                ("charges[2]", "charges[2] is required"),
            ],
            errors.Select(e => (e.Field, e.Message)));
    }

    [Fact]
    public void TypeNamesIgnoreCaseAndBlanks()
    {
        var draft = Valid with { Charges = [new(" PER_Unit ", "Calls", Metric: " Requests ", UnitPrice: 0.01m)] };

        Assert.True(PricePlan.TryCreate(PlanId, draft, out var plan, out _));
        var charge = Assert.Single(plan.ToDraft().Charges!)!;
        Assert.Equal(("per_unit", "requests"), (charge.Type, charge.Metric));
    }

    [Fact]
    public void TypeNamesWithLookalikeLettersAreUnknown()
    {
        // U+212A KELVIN SIGN lower-cases to an ASCII k, so it must be refused before any case folding.
        var error = OnlyErrorOf(new ChargeDraft("pac\u212Aage", "Bundles", Metric: "requests", PackageSize: 1_000, PricePerPackage: 5m));

        Assert.Equal("charges[0].type 'pac\u212Aage' is not one of flat, per_unit, per_seat, tiered, package, revenue_share", error.Message);
    }

    [Fact]
    public void FieldsThatDoNotApplyToTheTypeAreErrors()
    {
        var error = OnlyErrorOf(new ChargeDraft("flat", "Platform", Amount: 10m, UnitPrice: 0.01m));

        Assert.Equal(("charges[0].unit_price", "charges[0].unit_price does not apply to a flat charge"), (error.Field, error.Message));
    }

    [Fact]
    public void ServicesAreRequiredBoundedAndDistinctIgnoringCase()
    {
        var errors = ErrorsOf(Valid with
        {
            Charges =
            [
                new ChargeDraft("flat", "API Calls", Amount: 1m),
                new ChargeDraft("flat", " api calls ", Amount: 1m),
                new ChargeDraft("flat", " ", Amount: 1m),
                new ChargeDraft("flat", new string('s', Charge.MaxServiceLength + 1), Amount: 1m),
            ],
        });

        Assert.Equal(
            [
                ("charges[2].service", "charges[2].service is required"),
                ("charges[3].service", "charges[3].service must be at most 100 characters (got 101)"),
                ("charges[1].service", "charges[1].service 'api calls' is already the service of charges[0]"),
            ],
            errors.Select(e => (e.Field, e.Message)));
    }

    [Fact]
    public void AnUnsupportedCurrencyStillChecksTheCharges()
    {
        var errors = ErrorsOf(Valid with { Currency = "XYZ", Charges = [new ChargeDraft("flat", "Platform", Amount: -1m)] });

        Assert.Equal(["currency", "charges[0].amount"], errors.Select(e => e.Field));
    }

    [Fact]
    public void ThePlanConstructorChecksCurrencyCountAndServices()
    {
        var inDollars = new FlatFeeCharge("Platform", Usd(10m));

        var error = Assert.Throws<CatalogValidationException>(() => new PricePlan(PlanId, "Growth", Currency.EUR, [inDollars, new FlatFeeCharge("platform", Eur(1m))]));

        Assert.Equal(
            "Invalid price plan: charges[0] must be priced in the plan's currency EUR; charges[1].service 'platform' is already the service of charges[0].",
            error.Message);
        Assert.Throws<CatalogValidationException>(() => new PricePlan(PlanId, "Growth", Currency.EUR, []));
        Assert.Throws<ArgumentException>(() => new PricePlan("plan_0123456789abcdefghij", "Growth", Currency.EUR, [new FlatFeeCharge("Platform", Eur(1m))]));
    }

    [Fact]
    public void PricePlanIdsHaveTheirOwnKind()
    {
        var id = CatalogIds.New(CatalogIds.PricePlan);

        Assert.StartsWith("price_", id, StringComparison.Ordinal);
        Assert.True(CatalogIds.IsWellFormed(id, CatalogIds.PricePlan));
    }
}
