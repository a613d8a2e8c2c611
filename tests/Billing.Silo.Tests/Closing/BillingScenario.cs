using Billing.Silo.Grains;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Billing.Silo.Metering;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Invoicing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Billing.Silo.Tests.Closing;

/// <summary>Customers, shops and metered calls for billing tests, through the real API; and a look at the tables.</summary>
internal static class BillingScenario
{
    /// <summary>Settings of a silo whose periods close through billing runs only, not on the shops' reminders.</summary>
    public static readonly IReadOnlyDictionary<string, string> RunsOnly = new Dictionary<string, string> { ["Billing:Invoicing:CloseOnReminders"] = "false" };

    /// <summary>A euro customer in <paramref name="timeZone"/> on a prepaid plan, with a shop and its key; on <paramref name="testClock"/> when given.</summary>
    public static async Task<(string CustomerId, string ShopId, string Key)> CustomerAsync(CatalogSilo silo, string timeZone, string name = "Acme", string? testClock = null)
    {
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Prepaid", price = 15.00m, currency = "EUR", tokens_included = 1_000_000, duration_days = 365, is_recurring = true });
        var customer = await silo.PostAsync("/api/v1/admin/customers", new { name, email = "billing@acme.com", time_zone = timeZone, test_clock = testClock });
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
    /// Moves the clock to <paramref name="at"/> and waits until Orleans has delivered the close
    /// reminder of every shop with a period due by then (its end plus the grace): the period is
    /// closed, or the close failed and the shop moved its reminder on to a retry.
    /// </summary>
    /// <remarks>
    /// Orleans delays an overdue tick by a millisecond of the reminders' clock, and the test clock
    /// only moves when told: each look nudges it by one millisecond.
    /// </remarks>
    public static async Task AdvanceAndTickAsync(CatalogSilo silo, DateTimeOffset at)
    {
        silo.Time.Advance(at - silo.Time.GetUtcNow());
        var graceMs = (long)silo.Services.GetRequiredService<IOptions<BillingOptions>>().Value.GracePeriod.TotalMilliseconds;
        var database = silo.Services.GetRequiredService<SqlDatabase>();
        var dueSql = $"SELECT shop_id FROM billing_periods WHERE is_current AND end_ms + {graceMs} <= {at.ToUnixTimeMilliseconds()}";
        var ticked = (await database.QueryListAsync(dueSql, c => c, r => r.GetString(0), CancellationToken.None)).ToHashSet(StringComparer.Ordinal);
        await Eventually.TrueAsync(
            async () =>
            {
                silo.Time.Advance(TimeSpan.FromMilliseconds(1));
                foreach (var shopId in await database.QueryListAsync(dueSql, c => c, r => r.GetString(0), CancellationToken.None))
                {
                    if (await CloseReminderDueAsync(silo, shopId) <= at)
                    {
                        return false;
                    }
                }

                return true;
            },
            "the reminders of the due periods are delivered");

        // A shop grain takes one call at a time: a call queues behind the tick's last step, which moves its reminder on.
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        foreach (var shopId in ticked)
        {
            await grains.GetGrain<IShopGrain>(shopId).GetCurrentPeriodAsync();
        }
    }

    /// <summary>
    /// <paramref name="instant"/> to the whole second: a reminder registered while a test nudges the
    /// clock a millisecond per look lands those milliseconds late (Orleans adds the wait to its own now).
    /// </summary>
    public static DateTimeOffset WholeSecond(DateTimeOffset instant) => instant.AddTicks(-(instant.Ticks % TimeSpan.TicksPerSecond));

    /// <summary>When the shop's close reminder first ticks, as the reminder table holds it.</summary>
    public static async Task<DateTimeOffset> CloseReminderDueAsync(CatalogSilo silo, string shopId)
    {
        var table = silo.Services.GetRequiredService<IReminderTable>();
        var entry = await table.ReadRow(GrainId.Create("shop", shopId), ShopGrain.CloseReminder);
        Assert.NotNull(entry);
        return new DateTimeOffset(DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc));
    }

    public static Task<JsonElement> RunAsync(CatalogSilo silo, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        silo.PostAsync("/api/billing-scheduler/process-monthly-billing", body, expected);

    public static Task<long> CountAsync(CatalogSilo silo, string sql) => CountAsync(silo.Services.GetRequiredService<SqlDatabase>(), sql);

    public static Task<long> CountAsync(SqlDatabase database, string sql) =>
        database.ReadAsync(
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

    /// <summary>A trigger that fails the invoice insert of one shop: a crash between the steps of a close.</summary>
    public static async Task InjectCrashBeforeInvoiceInsertAsync(CatalogSilo silo, string dialect, string shopId)
    {
        await ExecuteAsync(silo, "CREATE TABLE injected_faults (shop_id TEXT NOT NULL)");
        await ExecuteAsync(silo, $"INSERT INTO injected_faults VALUES ('{shopId}')");
        if (dialect == StorageOptions.Postgres)
        {
            await ExecuteAsync(silo, """
                CREATE FUNCTION injected_crash() RETURNS trigger AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM injected_faults WHERE shop_id = NEW.shop_id) THEN RAISE EXCEPTION 'injected crash'; END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql
                """);
            await ExecuteAsync(silo, "CREATE TRIGGER injected_crash BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION injected_crash()");
        }
        else
        {
            await ExecuteAsync(silo, """
                CREATE TRIGGER injected_crash BEFORE INSERT ON invoices
                WHEN EXISTS (SELECT 1 FROM injected_faults WHERE shop_id = NEW.shop_id)
                BEGIN SELECT RAISE(ABORT, 'injected crash'); END
                """);
        }
    }
}
