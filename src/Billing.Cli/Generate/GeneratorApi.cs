using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Billing.Cli.Generate;

/// <summary>The silo refused a generator's call; the message ("POST /x answered 409 (…)") is one line for stderr.</summary>
internal sealed class GeneratorRefusedException(string message) : Exception(message);

/// <summary>
/// The generators' calls: the admin API with the admin key, the metering API with a generated shop's key. Replies are
/// read as JSON documents (the generators read a few fields of many shapes); anything but 2xx is refused.
/// </summary>
internal sealed class GeneratorApi(SiloClient client, string adminKey)
{
    /// <summary>A customer has a handful of generated months; pages are walked at most this far.</summary>
    public const int MaxPages = 20;

    public const int PageSize = 100;

    private readonly AdminCalls admin = new(client, adminKey, Refused);

    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        Read(await admin.SendAsync(HttpMethod.Get, path, null, cancellationToken), path);

    public async Task<JsonElement> PostAsync<T>(string path, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        Read(await admin.SendAsync(HttpMethod.Post, path, AdminCalls.Json(body, type), cancellationToken), path);

    public async Task<JsonElement> PatchAsync<T>(string path, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        Read(await admin.SendAsync(HttpMethod.Patch, path, AdminCalls.Json(body, type), cancellationToken), path);

    public async Task<JsonElement> PutAsync<T>(string path, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        Read(await admin.SendAsync(HttpMethod.Put, path, AdminCalls.Json(body, type), cancellationToken), path);

    /// <summary>A call as the shop whose key is <paramref name="apiKey"/> (the metering API).</summary>
    public async Task<JsonElement> GetAsShopAsync(string apiKey, string path, CancellationToken cancellationToken) =>
        Read(await new AdminCalls(client, apiKey, Refused).SendAsync(HttpMethod.Get, path, null, cancellationToken), path);

    /// <summary>A call as the shop whose key is <paramref name="apiKey"/> (the metering API).</summary>
    public async Task<JsonElement> PostAsShopAsync<T>(string apiKey, string path, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        Read(await new AdminCalls(client, apiKey, Refused).SendAsync(HttpMethod.Post, path, AdminCalls.Json(body, type), cancellationToken), path);

    /// <summary>The customer whose e-mail is <paramref name="email"/> (any case), or null.</summary>
    public async Task<JsonElement?> FindCustomerAsync(string email, CancellationToken cancellationToken)
    {
        var found = await ListAsync($"api/v1/admin/customers?q={Uri.EscapeDataString(email)}", "customers", cancellationToken);
        return found.Cast<JsonElement?>().FirstOrDefault(c => string.Equals(c!.Value.GetProperty("email").GetString(), email, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The customer's shops the generator made (named "… (generated)"), oldest month first.</summary>
    public async Task<List<JsonElement>> GeneratedShopsAsync(string customerId, CancellationToken cancellationToken)
    {
        var shops = await ListAsync($"api/v1/admin/shops?customer_id={Uri.EscapeDataString(customerId)}", "shops", cancellationToken);
        return [.. shops.Where(s => s.GetProperty("name").GetString()!.EndsWith(PeriodRules.ShopSuffix, StringComparison.Ordinal))];
    }

    /// <summary>Every item of a paged admin list (<c>limit</c>, <c>after</c> = <c>next_after</c>), at most <see cref="MaxPages"/> pages.</summary>
    public async Task<List<JsonElement>> ListAsync(string path, string field, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var query = string.Create(CultureInfo.InvariantCulture, $"{path}{separator}limit={PageSize}") + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
            var reply = await GetAsync(query, cancellationToken);
            items.AddRange(reply.GetProperty(field).EnumerateArray());
            after = reply.TryGetProperty("next_after", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (after is null)
            {
                return items;
            }
        }

        throw new GeneratorRefusedException($"GET /{path} lists more than {MaxPages * PageSize} {field}; the generators stop there.");
    }

    private static GeneratorRefusedException Refused(string call, SiloResponse response) => new(response.Refusal(call));

    private static JsonElement Read(SiloResponse response, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(response.Body.Length == 0 ? "{}" : response.Body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new SiloUnreachableException($"/{path} answered with something that is not JSON; is --url a billing silo?");
        }
    }
}
