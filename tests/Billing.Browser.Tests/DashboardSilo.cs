using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;

namespace Billing.Browser.Tests;

/// <summary>
/// A real silo process on a loopback port over a throwaway database, with a known admin key, a
/// customer with a shop, an API key and a subscription, and a bounded burst of consume calls
/// behind it, so the dashboard has grains, a silo and a reminder to show.
/// </summary>
public sealed class DashboardSilo : BrowserSilo
{
    public const string AdminKey = "browser-test-admin-key-0123456789-abcdefgh";

    // Bounded load: enough calls to activate the grains and give the profiler something to count.
    private const int Workers = 4;
    private const int ConsumesPerWorker = 25;

    private DashboardSilo(Started started)
        : base(started)
    {
    }

    public string ShopId { get; private set; } = "";

    public static async Task<DashboardSilo> StartAsync(string storage)
    {
        var silo = new DashboardSilo(await StartProcessAsync(await TestDatabase.CreateAsync(storage), AdminKey));
        try
        {
            silo.ShopId = await CreateShopAndLoadAsync(silo.Url);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> CreateShopAndLoadAsync(Uri silo)
    {
        using var admin = new HttpClient { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(15) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var plan = await PostAsync(admin, "/api/v1/admin/plans", new { name = "Dashboard", price = 1m, currency = "EUR", tokens_included = 1_000_000, duration_days = 30, is_recurring = false });
        var customer = await PostAsync(admin, "/api/v1/admin/customers", new { name = "Dashboard test", email = "dashboard@example.com" });
        var customerId = customer.GetProperty("id").GetString()!;
        var shop = await PostAsync(admin, $"/api/v1/admin/customers/{customerId}/shops", new { name = "Web shop" });
        var shopId = shop.GetProperty("id").GetString()!;
        var key = (await PostAsync(admin, $"/api/v1/admin/shops/{shopId}/api-keys", new { name = "load" })).GetProperty("key").GetString()!;
        await PostAsync(admin, $"/api/v1/admin/customers/{customerId}/subscription", new { plan_id = plan.GetProperty("id").GetString() });

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => ConsumeAsync(silo, key)));
        return shopId;
    }

    private static async Task ConsumeAsync(Uri silo, string key)
    {
        using var http = new HttpClient { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        for (var i = 0; i < ConsumesPerWorker; i++)
        {
            using var response = await http.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 1 + (i % 5) });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"consume: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
