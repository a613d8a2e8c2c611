using System.Text.Json.Serialization;

namespace Billing.Cli.LoadTest;

/// <summary>Source-generated snake_case JSON for the report <c>billing loadtest --json</c> prints; what it sends the silo is in <see cref="SiloJson"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(LoadTestReport))]
internal sealed partial class LoadTestJson : JsonSerializerContext;
