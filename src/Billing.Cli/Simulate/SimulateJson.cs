using System.Text.Json.Serialization;

namespace Billing.Cli.Simulate;

/// <summary>One charge of <c>POST /api/v1/admin/price-plans</c>: seed 003's plans are all <c>per_seat</c>, a screen being a seat.</summary>
internal sealed record PerSeatChargeBody(string Type, string Service, decimal PricePerSeat);

internal sealed record PricePlanBody(string Name, string Currency, IReadOnlyList<PerSeatChargeBody> Charges);

internal sealed record TestClockBody(DateTimeOffset FrozenTime, string Name);

internal sealed record AdvanceBody(DateTimeOffset To);

/// <summary><c>PUT /api/v1/admin/shops/{id}/billing</c>: a field left null keeps its value.</summary>
internal sealed record ShopTermsBody(string? PricePlanId, int? Seats);

internal sealed record CardDetails(string Number, int ExpMonth, int ExpYear, string Cvc);

/// <summary><c>POST /api/v1/billing/payment-methods</c> with a sandbox test card.</summary>
internal sealed record CardBody(CardDetails Card);

/// <summary>Source-generated snake_case JSON for what <c>billing simulate lifecycle</c> sends; replies are read as JSON documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PricePlanBody))]
[JsonSerializable(typeof(TestClockBody))]
[JsonSerializable(typeof(AdvanceBody))]
[JsonSerializable(typeof(ShopTermsBody))]
[JsonSerializable(typeof(CardBody))]
internal sealed partial class SimulateJson : JsonSerializerContext;

/// <summary>One subscription of <c>--snapshots FILE</c>: <c>plan</c> is null once cancelled.</summary>
internal sealed record SnapshotFileSubscription(string CustomerId, string? Plan, int Screens, decimal MonthlyAmount, string Status);

internal sealed record SnapshotFileMonth(string Month, DateTimeOffset At, IReadOnlyList<SnapshotFileSubscription> Subscriptions);

/// <summary>What <c>--snapshots FILE</c> holds: the seed and every month's snapshot, as seed 003's <c>sub_snapshots.json</c>.</summary>
internal sealed record SnapshotFile(int Seed, IReadOnlyList<SnapshotFileMonth> Months)
{
    public static SnapshotFile Of(int seed, IEnumerable<MonthSnapshot> snapshots) =>
        new(seed, [.. snapshots.Select(m => new SnapshotFileMonth(m.Month, m.At, [.. m.Subscriptions.Select(s =>
            new SnapshotFileSubscription(s.CustomerId, s.Tier is { } tier ? LifecycleRules.Tiers[tier].Name : null, s.Screens, s.MonthlyAmount, s.Status))]))]);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(SnapshotFile))]
internal sealed partial class SnapshotJson : JsonSerializerContext;
