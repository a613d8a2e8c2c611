using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Cli.LoadTest;

internal sealed record PlanRequest(
    string Name, decimal Price, string Currency, long TokensIncluded, int DurationDays, bool IsRecurring, string Description);

internal sealed record CustomerRequest(string Name, string Email, string Currency, string TimeZone);

internal sealed record NameRequest(string Name);

/// <summary>The plan id goes back exactly as the silo sent it, string or number.</summary>
internal sealed record SubscriptionRequest(JsonElement PlanId);

internal sealed record ConsumeRequest(long Tokens, string Description, string Endpoint, string Method, int StatusCode);

/// <summary>The part of <c>GET /api/v1/billing/subscription</c> the conservation check reads.</summary>
internal sealed record SubscriptionBalance(long TokensGranted, long TokensRemaining, long TokensConsumed);

/// <summary>Source-generated snake_case JSON for everything the load test sends, reads and prints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PlanRequest))]
[JsonSerializable(typeof(CustomerRequest))]
[JsonSerializable(typeof(NameRequest))]
[JsonSerializable(typeof(SubscriptionRequest))]
[JsonSerializable(typeof(ConsumeRequest))]
[JsonSerializable(typeof(SubscriptionBalance))]
[JsonSerializable(typeof(LoadTestReport))]
internal sealed partial class LoadTestJson : JsonSerializerContext;
