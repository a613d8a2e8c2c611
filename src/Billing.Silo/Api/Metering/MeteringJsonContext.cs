using System.Text.Json.Serialization;
using Billing.Contracts.Metering;

namespace Billing.Silo.Api.Metering;

/// <summary>Source-generated JSON for the hot path: no reflection-based serializer work per request.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ConsumeRequest))]
[JsonSerializable(typeof(ConsumeResponse))]
[JsonSerializable(typeof(ParseOnlyResponse))]
[JsonSerializable(typeof(UsageBatchRequest))]
[JsonSerializable(typeof(UsageBatchResponse))]
internal sealed partial class MeteringJsonContext : JsonSerializerContext;
