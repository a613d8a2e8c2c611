using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using static Billing.Domain.Tests.Pricing.PricingFixtures;

namespace Billing.Domain.Tests.Pricing;

/// <summary>Generators for pricing properties: EUR plans of every charge type, usage, periods.</summary>
internal static class PricingGenerators
{
    public static Gen<RoundingPolicy> Policies { get; } = Gen.Elements(RoundingPolicy.HalfEven, RoundingPolicy.HalfUp);

    /// <summary>Whole cents up to €1,000.</summary>
    public static Gen<Money> Prices { get; } = Gen.Choose(0, 100_000).Select(cents => Eur(cents / 100m));

    /// <summary>Up to €0.5 with up to six decimals, a third of them exact half-cent multiples (ties).</summary>
    public static Gen<Money> UnitPrices { get; } = Gen.Frequency(
        (2, Gen.Choose(0, 500_000).Select(millionths => Eur(millionths / 1_000_000m))),
        (1, Gen.Choose(0, 100).Select(halfCents => Eur(halfCents * 0.005m))));

    public static Gen<long> Quantities { get; } = Gen.Frequency(
        (3, Gen.Choose(0, 100_000).Select(value => (long)value)),
        (1, Gen.Choose(0, 2_000).Select(value => (long)value)));

    /// <summary>1..6 tiers with strictly increasing bounds, the last open, some with flat fees.</summary>
    public static Gen<PriceTier[]> Tiers { get; } =
        from count in Gen.Choose(1, 6)
        from widths in Gen.ArrayOf(Gen.Choose(1, 5_000), count)
        from prices in Gen.ArrayOf(UnitPrices, count)
        from fees in Gen.ArrayOf(Gen.Frequency((2, Gen.Constant<Money?>(null)), (1, Prices.Select(fee => (Money?)fee))), count)
        select Enumerable.Range(0, count)
            .Select(i => new PriceTier(i == count - 1 ? null : widths.Take(i + 1).Sum(w => (long)w), prices[i], fees[i]))
            .ToArray();

    public static Gen<Charge> Charges(string service) => Gen.OneOf(
        Prices.Select(price => (Charge)new FlatFeeCharge(service, price)),
        from metric in Gen.Elements(Enum.GetValues<UsageMetric>())
        from prefix in Gen.Elements<string?>(null, "/api/", "/api/v1/")
        from price in UnitPrices
        select (Charge)new PerUnitCharge(service, metric, prefix, price),
        Prices.Select(price => (Charge)new PerSeatCharge(service, price)),
        from metric in Gen.Elements(Enum.GetValues<UsageMetric>())
        from mode in Gen.Elements(TierMode.Graduated, TierMode.Volume)
        from tiers in Tiers
        select (Charge)new TieredCharge(service, metric, mode, tiers),
        from size in Gen.Choose(1, 5_000)
        from price in Prices
        select (Charge)new PackageCharge(service, UsageMetric.Requests, size, price),
        from basisPoints in Gen.Choose(0, 10_000)
        select (Charge)new RevenueShareCharge(service, basisPoints / 10_000m, FraudRules.Default));

    public static Gen<PricePlan> Plans { get; } =
        from count in Gen.Choose(1, 8)
        from charges in Gen.CollectToArray(Enumerable.Range(0, count), i => Charges($"Charge {i}"))
        select new PricePlan(PlanId, "Generated", Currency.EUR, [.. charges]);

    public static Gen<RevenueEvent> Sales { get; } =
        from order in Gen.Choose(1, 12)
        from cents in Gen.Choose(0, 50_000)
        from minute in Gen.Choose(0, 600)
        from fingerprint in Gen.Elements<string?>(null, "fp1", "fp2")
        from flags in Gen.Frequency((6, Gen.Constant(RevenueEventFlags.None)), (1, Gen.Constant(RevenueEventFlags.Refunded)), (1, Gen.Constant(RevenueEventFlags.Test)))
        select new RevenueEvent($"order-{order}", Eur(cents / 100m), Instant.FromUtc(2026, 3, 2, 8, 0).Plus(Duration.FromMinutes(minute)), fingerprint, flags);

    public static Gen<BillableUsage> Usages { get; } =
        from apiRequests in Quantities
        from otherRequests in Quantities
        from tokens in Quantities
        from errors in Gen.Choose(0, 1_000)
        from seats in Gen.Choose(0, 200)
        from revenue in Gen.ListOf(Sales)
        select new BillableUsage(
            apiRequests + otherRequests, tokens, errors, [new("/api/v1/detect", apiRequests, tokens, errors), new("/other", otherRequests, 0, 0)], seats, [.. revenue.Take(30)]);

    /// <summary>Whole months of 2026 in a few zones with and without DST.</summary>
    public static Gen<BillingPeriod> Months { get; } =
        from month in Gen.Choose(1, 12)
        from zone in Gen.Elements("Europe/Amsterdam", "America/New_York", "Pacific/Auckland", "UTC", "Asia/Kolkata")
        select new BillingPeriod(new LocalDate(2026, month, 1), new LocalDate(2026, month, 1).PlusMonths(1), zone);
}
