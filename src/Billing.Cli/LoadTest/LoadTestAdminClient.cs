using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Billing.Cli.LoadTest;

/// <summary>The silo answered a setup call, but not with what the load test needs; the message is one line for stderr.</summary>
internal sealed class LoadTestSetupException(string message) : Exception(message);

/// <summary>An id as the silo sent it: kept as JSON so a numeric id is not sent back as a string, or the reverse.</summary>
internal sealed record EntityId(JsonElement Json)
{
    public string PathSegment => Uri.EscapeDataString(ToString());

    public override string ToString() =>
        Json.ValueKind == JsonValueKind.String ? Json.GetString() ?? "" : Json.GetRawText();
}

/// <summary>Calls to the silo's admin API (bearer admin key, snake_case JSON) that fail loudly on anything but 2xx.</summary>
internal sealed class LoadTestAdminClient(SiloClient client, string adminKey)
{
    private readonly AdminCalls calls = new(client, adminKey, Refused);

    public async Task<JsonElement> PostAsync<T>(string path, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var response = await calls.SendAsync(HttpMethod.Post, path, AdminCalls.Json(body, type), cancellationToken);
        return ParseObject($"POST /{path}", response.Body);
    }

    public static EntityId RequireId(JsonElement reply, string call) => new(RequireProperty(reply, "id", call));

    public static string RequireString(JsonElement reply, string name, string call)
    {
        var value = RequireProperty(reply, name, call);
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new LoadTestSetupException($"{call} answered without a '{name}' string.");
    }

    /// <summary>"answered 401 (Unauthorized: bad admin key)" from a problem-details reply, or the bare status otherwise.</summary>
    public static LoadTestSetupException Refused(string call, SiloResponse response) => new(response.Refusal(call));

    private static JsonElement RequireProperty(JsonElement reply, string name, string call) =>
        reply.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value
            : throw new LoadTestSetupException($"{call} answered without an '{name}'.");

    private static JsonElement ParseObject(string call, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new LoadTestSetupException($"{call} answered with JSON that is not an object.");
        }
        catch (JsonException)
        {
            throw new LoadTestSetupException($"{call} answered with something that is not JSON.");
        }
    }
}
