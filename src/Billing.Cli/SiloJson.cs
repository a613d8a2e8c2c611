using System.Text.Json.Serialization;
using Billing.Contracts.Catalog;
using Billing.Contracts.Health;
using Billing.Contracts.Metering;
using Billing.Contracts.Runs;

namespace Billing.Cli;

/// <summary>
/// Source-generated snake_case JSON for the silo's wire contracts (Billing.Contracts), which the silo writes with the
/// same naming. Absent optional fields are left out of requests; replies that lack a required field, or carry null
/// where the contract has none, fail to read instead of reading as zero.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ProcessMonthlyBillingRequest))]
[JsonSerializable(typeof(ProcessShopBillingRequest))]
[JsonSerializable(typeof(RunStartedResponse))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(SchedulerStatusResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(PlanRequest))]
[JsonSerializable(typeof(PlanResponse))]
[JsonSerializable(typeof(CustomerRequest))]
[JsonSerializable(typeof(CustomerResponse))]
[JsonSerializable(typeof(NameRequest))]
[JsonSerializable(typeof(ShopResponse))]
[JsonSerializable(typeof(ApiKeyCreatedResponse))]
[JsonSerializable(typeof(GrantSubscriptionRequest))]
[JsonSerializable(typeof(SubscriptionResponse))]
[JsonSerializable(typeof(ConsumeRequest))]
internal sealed partial class SiloJson : JsonSerializerContext;
