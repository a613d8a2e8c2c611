using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Billing.Cli.LoadTest;

/// <summary>The silo answered a setup call, but not with what the load test needs; the message is one line for stderr.</summary>
internal sealed class LoadTestSetupException(string message) : Exception(message);

/// <summary>Calls to the silo's admin API (bearer admin key, snake_case JSON) that fail loudly on anything but 2xx.</summary>
internal sealed class LoadTestAdminClient(SiloClient client, string adminKey)
{
    private readonly AdminCalls calls = new(client, adminKey, Refused);

    /// <summary>Sends <paramref name="body"/> and reads the 2xx reply as <paramref name="replyType"/>; a reply of another shape stops the setup.</summary>
    public async Task<TReply> PostAsync<TBody, TReply>(
        string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TReply> replyType, CancellationToken cancellationToken)
    {
        var response = await calls.SendAsync(HttpMethod.Post, path, AdminCalls.Json(body, bodyType), cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(response.Body, replyType) ?? throw new JsonException("the reply is null");
        }
        catch (JsonException error)
        {
            throw new LoadTestSetupException($"POST /{path} answered with something that is not a {typeof(TReply).Name}: {error.Message}");
        }
    }

    /// <summary>"answered 401 (Unauthorized: bad admin key)" from a problem-details reply, or the bare status otherwise.</summary>
    public static LoadTestSetupException Refused(string call, SiloResponse response) => new(response.Refusal(call));
}
