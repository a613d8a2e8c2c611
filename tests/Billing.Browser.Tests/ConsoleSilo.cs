using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;

namespace Billing.Browser.Tests;

/// <summary>
/// A silo process on a loopback port over a throwaway database holding a month of business: a
/// euro customer whose shop was on a per-seat price plan (3 seats at 10 EUR) and a token plan
/// since the last evening of last month, with usage then and now, and last month billed by the
/// process, so the console has MRR, an invoice, usage and a billing run to show.
/// </summary>
public sealed class ConsoleSilo : BrowserSilo
{
    public const string AdminKey = "console-browser-admin-key-0123456789-abcdef";
    public const string CustomerName = "Console Customer";

    private const int ConsumesThen = 12;
    private const int ConsumesNow = 7;

    private ConsoleSilo(Started started)
        : base(started)
    {
    }

    public string CustomerId { get; private set; } = "";

    public string ShopId { get; private set; } = "";

    public string ApiKey { get; private set; } = "";

    /// <summary>Last month, YYYY-MM: the month the process billed.</summary>
    public string Period { get; private set; } = "";

    public static async Task<ConsoleSilo> StartAsync(string storage)
    {
        var database = await TestDatabase.CreateAsync(storage);
        var yesterday = TimeProvider.System.GetUtcNow().AddDays(-1);
        // The last evening of the month before yesterday's month: over for the process's real clock.
        var lastMonthEvening = new DateTimeOffset(yesterday.Year, yesterday.Month, 1, 0, 0, 0, TimeSpan.Zero).AddHours(-4);
        var (customerId, shopId, key) = await SetUpLastMonthAsync(database, lastMonthEvening);

        // The test bills last month itself, through the scheduler API.
        var silo = new ConsoleSilo(await StartProcessAsync(database, AdminKey, new Dictionary<string, string> { ["Billing__Invoicing__CloseOnReminders"] = "false" }))
        {
            CustomerId = customerId, ShopId = shopId, ApiKey = key, Period = lastMonthEvening.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        };
        try
        {
            await silo.BillLastMonthAndUseAsync();
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonElement> GetAsync(string path, string? apiKey = null)
    {
        using var http = CreateClient(apiKey is null ? AdminKey : null);
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<(string CustomerId, string ShopId, string Key)> SetUpLastMonthAsync(TestDatabase database, DateTimeOffset at)
    {
        await using var host = new ConsoleSetupHost(database, AdminKey, at);
        using var admin = host.Admin();
        var post = HttpMethod.Post;
        var pricePlan = await ConsoleSetupHost.SendAsync(admin, post, "/api/v1/admin/price-plans", new
        {
            name = "Screens", currency = "EUR", charges = new[] { new { type = "per_seat", service = "Screens", price_per_seat = 10m } },
        });
        var plan = await ConsoleSetupHost.SendAsync(admin, post, "/api/v1/admin/plans", new
        {
            name = "Tokens", price = 5m, currency = "EUR", tokens_included = 1_000_000, duration_days = 90, is_recurring = false,
        });
        var customer = await ConsoleSetupHost.SendAsync(admin, post, "/api/v1/admin/customers", new { name = CustomerName, email = "console@example.com", currency = "EUR" });
        var customerId = customer.GetProperty("id").GetString()!;
        var shopId = (await ConsoleSetupHost.SendAsync(admin, post, $"/api/v1/admin/customers/{customerId}/shops", new { name = "Lobby" })).GetProperty("id").GetString()!;
        var key = (await ConsoleSetupHost.SendAsync(admin, post, $"/api/v1/admin/shops/{shopId}/api-keys", new { name = "console" })).GetProperty("key").GetString()!;
        await ConsoleSetupHost.SendAsync(admin, HttpMethod.Put, $"/api/v1/admin/shops/{shopId}/billing", new { price_plan_id = pricePlan.GetProperty("id").GetString(), seats = 3 });
        await ConsoleSetupHost.SendAsync(admin, post, $"/api/v1/admin/customers/{customerId}/subscription", new { plan_id = plan.GetProperty("id").GetString() });
        using var client = host.CreateClient();
        await ConsumeAsync(client, key, ConsumesThen);
        return (customerId, shopId, key);
    }

    private async Task BillLastMonthAndUseAsync()
    {
        using var admin = CreateClient(AdminKey);
        using var response = await admin.PostAsJsonAsync($"/api/billing-scheduler/process-shop-billing/{ShopId}", new { period = Period });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"billing {Period}: {(int)response.StatusCode} {text}");
        Assert.Equal(1, JsonDocument.Parse(text).RootElement.GetProperty("invoices_issued").GetInt64());
        using var client = CreateClient();
        await ConsumeAsync(client, ApiKey, ConsumesNow);
    }

    private static async Task ConsumeAsync(HttpClient client, string key, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/tokens/consume") { Content = JsonContent.Create(new { tokens = 10 + i }) };
            request.Headers.Add("X-API-Key", key);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"consume: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
