using System.Text.Json.Serialization;
using Billing.Contracts.Catalog;

namespace Billing.Cli.Generate;

/// <summary>One event of <c>POST /api/v1/usage/batch</c>, back-dated with <c>occurred_at</c>; the key makes a retried batch safe.</summary>
internal sealed record UsageEventBody(
    long Tokens, string? Description, string? Endpoint, string? Method, int? StatusCode, string? IdempotencyKey, DateTimeOffset? OccurredAt);

internal sealed record UsageBatchBody(IReadOnlyList<UsageEventBody> Events);

/// <summary><c>POST /api/v1/admin/invoices/{id}/pay</c>; without <c>paid_at</c> the silo records the payment now.</summary>
internal sealed record PaymentBody(string? PaidAt, string? Reference);

internal sealed record WaiverBody(string Reason);

/// <summary>Source-generated snake_case JSON for what the generators send beyond <see cref="SiloJson"/>; replies are read as JSON documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ShopRequest))]
[JsonSerializable(typeof(ShopCloseRequest))]
[JsonSerializable(typeof(UsageBatchBody))]
[JsonSerializable(typeof(PaymentBody))]
[JsonSerializable(typeof(WaiverBody))]
[JsonSerializable(typeof(CustomerPatchRequest))]
internal sealed partial class GenerateJson : JsonSerializerContext;
