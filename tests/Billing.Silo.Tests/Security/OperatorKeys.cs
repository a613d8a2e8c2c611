using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Tests.Catalog;

namespace Billing.Silo.Tests.Security;

/// <summary>Operator keys made through the API by the admin key, and clients that send one.</summary>
internal static class OperatorKeys
{
    public static async Task<(string Id, string Key)> CreateAsync(CatalogSilo silo, string name, string role, HttpClient? by = null)
    {
        using var response = await (by ?? silo.Admin).PostAsJsonAsync("/api/v1/admin/operator-keys", new { name, role });
        var created = await CatalogSilo.ReadAsync(response, HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    public static HttpClient Client(CatalogSilo silo, string key)
    {
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        return await CatalogSilo.ReadAsync(response, expected);
    }
}
