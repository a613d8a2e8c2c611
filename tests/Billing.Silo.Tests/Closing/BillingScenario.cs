using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Runtime;
using Billing.Runtime.Reminders;
using Billing.Runtime.Storage.Sql;
using Billing.Runtime.Testing;
using Billing.Silo.Metering;
using Billing.Silo.Tests.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Closing;

/// <summary>Customers, shops and metered calls for billing tests, through the real API; and a look at the tables.</summary>
internal static class BillingScenario
{
    public static async Task<(string CustomerId, string ShopId, string Key)> CustomerAsync(CatalogSilo silo, string timeZone, string name = "Acme")
    {
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Prepaid", price = 15.00m, currency = "EUR", tokens_included = 1_000_000, duration_days = 365, is_recurring = true });
        var customer = await silo.PostAsync("/api/v1/admin/customers", new { name, email = "billing@acme.com", time_zone = timeZone });
        var customerId = customer.GetProperty("id").GetString()!;
        var shopId = (await silo.PostAsync($"/api/v1/admin/customers/{customerId}/shops", new { name = $"{name} shop" })).GetProperty("id").GetString()!;
        var key = (await silo.PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { name = "production" })).GetProperty("key").GetString()!;
        await silo.PostAsync($"/api/v1/admin/customers/{customerId}/subscription", new { plan_id = plan.GetProperty("id").GetString() }, HttpStatusCode.OK);
        return (customerId, shopId, key);
    }

    public static async Task ConsumeAsync(CatalogSilo silo, string key, int calls)
    {
        using var client = Client(silo, key);
        for (var i = 0; i < calls; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 1, endpoint = "/v1/search" });
            await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);
        }
    }

    public static HttpClient Client(CatalogSilo silo, string key)
    {
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    /// <summary>
    /// Moves the clock to <paramref name="at"/> and waits until every reminder due by then was
    /// delivered (moving the clock also fires the service's own poll timer, which may be the one
    /// that delivers them), and until the shop grains have finished what those ticks started.
    /// </summary>
    /// <remarks>
    /// A tick that the timer's poll delivers in the middle of a long move can time out on the
    /// manual clock (30 s of it pass in an instant) while its grain is still closing: the reminder
    /// then waits for a retry, though the close goes on. One call to each shop grain queues behind
    /// that work (shop grains take one call at a time), so the test reads the close's outcome.
    /// </remarks>
    public static async Task AdvanceAndTickAsync(CatalogSilo silo, DateTimeOffset at)
    {
        silo.Time.Advance(at - silo.Time.GetUtcNow());
        var nowMs = at.ToUnixTimeMilliseconds();
        await Eventually.TrueAsync(
            async () =>
            {
                await silo.Services.GetRequiredService<ReminderService>().PollOnceAsync();
                return await CountAsync(silo, $"SELECT COUNT(*) FROM reminders WHERE next_due_ms <= {nowMs}") == 0;
            },
            "the due reminders are delivered");
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        foreach (var shopId in await ShopsWithRemindersAsync(silo))
        {
            await grains.GetGrain<IShopGrain>(shopId).GetCurrentPeriodAsync();
        }
    }

    private static Task<IReadOnlyList<string>> ShopsWithRemindersAsync(CatalogSilo silo) =>
        silo.Services.GetRequiredService<SqlDatabase>().QueryListAsync(
            "SELECT DISTINCT grain_key FROM reminders WHERE grain_type = 'shop'", c => c, r => r.GetString(0), CancellationToken.None);

    public static Task<JsonElement> RunAsync(CatalogSilo silo, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        silo.PostAsync("/api/billing-scheduler/process-monthly-billing", body, expected);

    public static Task<long> CountAsync(CatalogSilo silo, string sql) =>
        silo.Services.GetRequiredService<SqlDatabase>().ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(sql);
                return await command.ScalarInt64Async(ct) ?? 0;
            },
            CancellationToken.None);

    public static Task ExecuteAsync(CatalogSilo silo, string sql) =>
        silo.Services.GetRequiredService<SqlDatabase>().WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(sql);
                return await command.ExecuteNonQueryAsync(ct);
            },
            CancellationToken.None);

    public static async Task<IReadOnlyList<string>> InvoiceNumbersAsync(CatalogSilo silo) =>
        await silo.Services.GetRequiredService<SqlDatabase>().QueryListAsync("SELECT number FROM invoices ORDER BY number", c => c, r => r.GetString(0), CancellationToken.None);
}
