using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Grains;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Billing.Silo.Tests.Closing;

/// <summary>Closing a shop: keys revoked, the open period cut at the closing day and invoiced at once, nothing after it; again: nothing more.</summary>
public sealed class ShopCloseTests
{
    // 13:00 local on 21 November in Amsterdam (UTC+1).
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ClosingAShopRevokesItsKeysAndInvoicesItsOpenPeriodThroughTheClosingDayOnce(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: Now);
        var (_, shopId, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        await BillingScenario.ConsumeAsync(silo, key, 3);

        var (closed, replayed) = await CloseAsync(silo, shopId, HttpStatusCode.OK);
        var (again, replayedAgain) = await CloseAsync(silo, shopId, HttpStatusCode.OK);

        Assert.Equal((shopId, "2026-11-21T12:00:00+00:00", 1), (closed.GetProperty("shop_id").GetString(), closed.GetProperty("closed_at").GetString(), closed.GetProperty("revoked_api_keys").GetInt32()));
        var invoice = Assert.Single(closed.GetProperty("invoices").EnumerateArray());
        Assert.Equal(("2026-11-01", "2026-11-21", 0.04m), (invoice.GetProperty("period_start").GetString(), invoice.GetProperty("period_end").GetString(), invoice.GetProperty("total").GetDecimal()));
        Assert.Equal((false, true), (replayed, replayedAgain));
        Assert.Equal((0, 0), (again.GetProperty("revoked_api_keys").GetInt32(), again.GetProperty("invoices").GetArrayLength()));
        Assert.Equal("2026-11-21T12:00:00+00:00", again.GetProperty("closed_at").GetString());

        using var client = BillingScenario.Client(silo, key);
        using (var consume = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 1 }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, consume.StatusCode);
        }

        var period = Assert.Single((await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}/periods")).GetProperty("periods").EnumerateArray());
        Assert.Equal(("2026-11-21", false, "pending"), (period.GetProperty("period_end").GetString(), period.GetProperty("is_current").GetBoolean(), period.GetProperty("status").GetString()));
        var reminders = silo.Services.GetRequiredService<IReminderTable>();
        Assert.Null(await reminders.ReadRow(GrainId.Create("shop", shopId), ShopGrain.CloseReminder));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AClosedShopGetsNoKeysNoTermsChangesAndNoFurtherInvoices(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: Now);
        var (_, shopId, _) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        await CloseAsync(silo, shopId, HttpStatusCode.OK);

        var key = await silo.PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { name = "again" }, HttpStatusCode.NotFound);
        using var terms = await silo.Admin.PutAsJsonAsync($"/api/v1/admin/shops/{shopId}/billing", new { seats = 3 });
        var termsProblem = await CatalogSilo.ReadAsync(terms, HttpStatusCode.Conflict);
        await BillingScenario.AdvanceAndTickAsync(silo, new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.Zero));
        var run = await silo.PostAsync($"/api/billing-scheduler/process-shop-billing/{shopId}", new { period = "2026-12" }, HttpStatusCode.OK);

        Assert.Equal("shop_not_found", key.GetProperty("code").GetString());
        Assert.Equal("shop_closed", termsProblem.GetProperty("code").GetString());
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM invoices WHERE shop_id = '{shopId}'"));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE shop_id = '{shopId}' AND is_current = TRUE"));
        Assert.DoesNotContain("\"invoice_id\":\"inv_", run.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClosingAnUnknownShopIs404AndNeedsTheAdminKey()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        using var anonymous = silo.CreateClient();

        var (unknown, _) = await CloseAsync(silo, "shop_0123456789abcdefghij", HttpStatusCode.NotFound);
        var unauthorized = await silo.PostRawAsync(anonymous, "/api/v1/admin/shops/shop_0123456789abcdefghij/close", "{}", "application/json", HttpStatusCode.Unauthorized);

        Assert.Equal("shop_not_found", unknown.GetProperty("code").GetString());
        Assert.Equal("unauthorized", unauthorized.GetProperty("code").GetString());
    }

    private static async Task<(JsonElement Body, bool Replayed)> CloseAsync(CatalogSilo silo, string shopId, HttpStatusCode expected)
    {
        using var response = await silo.Admin.PostAsync(new Uri($"/api/v1/admin/shops/{shopId}/close", UriKind.Relative), content: null);
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true");
        return (await CatalogSilo.ReadAsync(response, expected), replayed);
    }
}
