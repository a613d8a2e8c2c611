using System.Text.Json.Serialization;

namespace Billing.Contracts.Metering;

/// <summary>The body of <c>POST /api/v1/billing/tokens/consume</c>; the silo checks the fields and answers 400 naming each bad one.</summary>
/// <remarks>
/// <c>occurred_at</c> back-dates the call (a client replaying a buffer after an outage); it is left out when absent so
/// a client that never back-dates sends the same bytes as before the field existed.
/// </remarks>
public sealed record ConsumeRequest(
    long Tokens,
    string? Description,
    string? Endpoint,
    string? Method,
    int? StatusCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? OccurredAt = null);
