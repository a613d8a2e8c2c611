using System.Net;
using System.Net.Http.Json;
using Billing.Testing;
using Billing.Silo.Tests.Closing;

namespace Billing.Silo.Tests.Catalog;

/// <summary>
/// Shops with a past: opened on a past day (<c>opened_on</c>, billing starting at their first close so their history can
/// be loaded first) and closed on a past day (<c>closed_on</c>, their last period ending there), on both dialects.
/// </summary>
public sealed class ShopHistoryApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ShopOpenedAndClosedInThePastInvoicesItsBackDatedUsageOnceForThatPeriodOnly(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, Now);
        var (customerId, key, shopId) = await ShopOpenedOnAsync(silo, "2026-10-01");
        Assert.Empty((await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}/periods")).GetProperty("periods").EnumerateArray());

        using var client = BillingScenario.Client(silo, key);
        foreach (var at in new[] { "2026-10-01T00:00:00Z", "2026-10-15T09:30:00Z", "2026-10-31T23:59:00Z" })
        {
            using var consumed = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 1, endpoint = "/v1/solve/math", occurred_at = at });
            await CatalogSilo.ReadAsync(consumed, HttpStatusCode.OK);
        }

        using var early = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 1, occurred_at = "2026-09-30T23:59:00Z" });
        var beforeShop = await CatalogSilo.ReadAsync(early, HttpStatusCode.BadRequest);
        var closed = await silo.PostAsync($"/api/v1/admin/shops/{shopId}/close", new { closed_on = "2026-10-31" }, HttpStatusCode.OK);

        Assert.Equal("occurred_at must not be before 2026-10-01T00:00:00Z, the start of the shop's first billing period", beforeShop.GetProperty("errors").GetProperty("occurred_at")[0].GetString());
        Assert.Equal((new DateTimeOffset(2026, 10, 31, 0, 0, 0, TimeSpan.Zero), 1), (closed.GetProperty("closed_at").GetDateTimeOffset(), closed.GetProperty("revoked_api_keys").GetInt32()));
        var invoice = Assert.Single(closed.GetProperty("invoices").EnumerateArray());
        Assert.Equal(("2026-10-01", "2026-10-31", 0.03m), (invoice.GetProperty("period_start").GetString(), invoice.GetProperty("period_end").GetString(), invoice.GetProperty("total").GetDecimal()));
        var period = Assert.Single((await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}/periods")).GetProperty("periods").EnumerateArray());
        Assert.Equal(("pending", false, "2026-12-05"), (period.GetProperty("status").GetString(), period.GetProperty("is_current").GetBoolean(), period.GetProperty("due_date").GetString()));
        var again = await silo.PostAsync($"/api/v1/admin/shops/{shopId}/close", new { closed_on = "2026-10-15" }, HttpStatusCode.OK);
        Assert.Equal((new DateTimeOffset(2026, 10, 31, 0, 0, 0, TimeSpan.Zero), 0), (again.GetProperty("closed_at").GetDateTimeOffset(), again.GetProperty("invoices").GetArrayLength()));
        Assert.Equal(customerId, (await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}")).GetProperty("customer_id").GetString());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task OpeningInTheFutureOrBeyondTheBackDatingWindowAndClosingOutsideTheOpenPeriodAreRefused(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, Now);
        var customerId = await CustomerAsync(silo);
        var shops = $"/api/v1/admin/customers/{customerId}/shops";

        var future = await silo.PostAsync(shops, new { name = "Tomorrow", opened_on = "2026-11-22" }, HttpStatusCode.BadRequest);
        var tooOld = await silo.PostAsync(shops, new { name = "Old", opened_on = "2026-09-19" }, HttpStatusCode.BadRequest);
        var unknown = await silo.PostAsync("/api/v1/admin/customers/cus_0000000000000000000000/shops", new { name = "Nobody", opened_on = "2026-11-01" }, HttpStatusCode.NotFound);
        var (_, _, shopId) = await ShopOpenedOnAsync(silo, "2026-11-01", customerId);
        var close = $"/api/v1/admin/shops/{shopId}/close";
        var beforeOpen = await silo.PostAsync(close, new { closed_on = "2026-10-31" }, HttpStatusCode.BadRequest);
        var afterToday = await silo.PostAsync(close, new { closed_on = "2026-11-22" }, HttpStatusCode.BadRequest);

        Assert.Equal(("invalid_shop", "opened_on must not be after today"), (future.GetProperty("code").GetString(), future.GetProperty("errors").GetProperty("opened_on")[0].GetString()));
        Assert.Equal("opened_on must not be more than 62 days in the past", tooOld.GetProperty("errors").GetProperty("opened_on")[0].GetString());
        Assert.Equal("customer_not_found", unknown.GetProperty("code").GetString());
        Assert.Equal(("invalid_shop_close", "closed_on must not be before 2026-11-01, the first day of the shop's open period"),
            (beforeOpen.GetProperty("code").GetString(), beforeOpen.GetProperty("errors").GetProperty("closed_on")[0].GetString()));
        Assert.Equal("closed_on must not be after today", afterToday.GetProperty("errors").GetProperty("closed_on")[0].GetString());
        // The current month's shop bills as any other: its period is open from its first day.
        var open = Assert.Single((await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}/periods")).GetProperty("periods").EnumerateArray());
        Assert.Equal(("2026-11-01", true), (open.GetProperty("period_start").GetString(), open.GetProperty("is_current").GetBoolean()));
    }

    private static async Task<string> CustomerAsync(CatalogSilo silo) =>
        (await silo.PostAsync("/api/v1/admin/customers", new { name = "History", email = "history@example.com", currency = "USD", time_zone = "UTC", vat_rate = 0m }))
            .GetProperty("id").GetString()!;

    private static async Task<(string CustomerId, string Key, string ShopId)> ShopOpenedOnAsync(CatalogSilo silo, string openedOn, string? customerId = null)
    {
        customerId ??= await CustomerAsync(silo);
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Tokens", price = 0m, currency = "USD", tokens_included = 1_000, is_recurring = false });
        await silo.PostAsync($"/api/v1/admin/customers/{customerId}/subscription", new { plan_id = plan.GetProperty("id").GetString() }, HttpStatusCode.OK);
        var shopId = (await silo.PostAsync($"/api/v1/admin/customers/{customerId}/shops", new { name = $"Opened {openedOn}", opened_on = openedOn })).GetProperty("id").GetString()!;
        var key = (await silo.PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { name = "OCTOBER" })).GetProperty("key").GetString()!;
        return (customerId, key, shopId);
    }
}
