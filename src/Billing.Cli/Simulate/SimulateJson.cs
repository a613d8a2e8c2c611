using System.Text.Json.Serialization;
using Billing.Contracts.Catalog;

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
[JsonSerializable(typeof(CustomerRequest))]
[JsonSerializable(typeof(ShopRequest))]
[JsonSerializable(typeof(NameRequest))]
internal sealed partial class SimulateJson : JsonSerializerContext;
