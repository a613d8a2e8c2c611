using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Billing.Cli;

/// <summary>
/// Requests to the silo's admin endpoints: the admin key as bearer token, snake_case JSON bodies, and any reply but 2xx
/// thrown as the exception <c>refused</c> makes from the call ("POST /path") and the reply, since each command reports a
/// refusal its own way (exit code, wording).
/// </summary>
internal sealed class AdminCalls(SiloClient client, string adminKey, Func<string, SiloResponse, Exception> refused)
{
    /// <summary>Sends the request (<paramref name="path"/> relative to the silo's base URL) and returns its 2xx reply.</summary>
    public async Task<SiloResponse> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var response = await client.SendAsync(request, cancellationToken);
        return (int)response.StatusCode is >= 200 and <= 299 ? response : throw refused($"{method} /{path}", response);
    }

    /// <summary><paramref name="body"/> serialized with its source-generated contract, as <c>application/json</c>.</summary>
    public static ByteArrayContent Json<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
