using System.Net;
using System.Net.Http.Json;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Billing.Silo.Tests.TestClocks;

/// <summary>
/// Payments on a test clock: an invoice's collection and dunning, and a recurring plan's renewals,
/// happen at the clock's instants as one advance crosses them; no reminder runs them on the silo's time.
/// </summary>
public sealed class TestClockPaymentTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ACardThatDeclinesIsRetriedOnTheDunningDaysOfTheClockAndTheCustomerSuspendedAfterTheLast(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null);
        var clockId = await TestClockScenario.ClockAsync(silo, new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero));
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam", testClock: clockId);
        using var client = BillingScenario.Client(silo, key);
        await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", Payments.CollectionScenario.Card("4000000000000341")), HttpStatusCode.Created);
        await BillingScenario.ConsumeAsync(silo, key, 3);

        await TestClockScenario.AdvanceAsync(silo, clockId, new DateTimeOffset(2026, 4, 25, 0, 0, 0, TimeSpan.Zero));

        var invoice = Assert.Single(await PlanScenario.InvoicesAsync(silo, key));
        var invoiceId = invoice.GetProperty("id").GetString()!;
        var collection = await Payments.CollectionScenario.CollectionAsync(silo, invoiceId);
        // March closed at 1 April 01:00 in Amsterdam (23:00 UTC): tried then, and on days 1, 3, 5 and 7 after, on the clock.
        var firstFailed = new DateTimeOffset(2026, 3, 31, 23, 0, 0, TimeSpan.Zero);
        Assert.Equal(("suspended", 5, firstFailed), (collection.GetProperty("status").GetString(), collection.GetProperty("attempts").GetInt32(), collection.GetProperty("first_failed_at").GetDateTimeOffset()));
        Assert.Null(await silo.Services.GetRequiredService<IReminderTable>().ReadRow(GrainId.Create("invoice-collection", invoiceId), "collect"));
        using var consume = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 1, endpoint = "/v1/search" });
        Assert.Equal(HttpStatusCode.PaymentRequired, consume.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ARecurringTokenPlanRenewsAtTheEndOfEachPeriodOnTheClock(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null);
        var bought = new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);
        var clockId = await TestClockScenario.ClockAsync(silo, bought);
        var planId = (await silo.PostAsync("/api/v1/admin/plans", new { name = "Monthly", price = 15.00m, currency = "EUR", tokens_included = 1_000, duration_days = 30, is_recurring = true }))
            .GetProperty("id").GetString()!;
        var customerId = (await silo.PostAsync("/api/v1/admin/customers", new { name = "Acme", email = "billing@acme.com", test_clock = clockId })).GetProperty("id").GetString()!;
        var shopId = (await silo.PostAsync($"/api/v1/admin/customers/{customerId}/shops", new { name = "Acme shop" })).GetProperty("id").GetString()!;
        var key = (await silo.PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { name = "production" })).GetProperty("key").GetString()!;
        using var client = BillingScenario.Client(silo, key);
        await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", Payments.CollectionScenario.Card("4242424242424242")), HttpStatusCode.Created);
        await Payments.PurchaseApiTests.PurchaseAsync(silo, key, planId, "4242424242424242", HttpStatusCode.OK);

        await TestClockScenario.AdvanceAsync(silo, clockId, new DateTimeOffset(2026, 5, 20, 0, 0, 0, TimeSpan.Zero));

        // Bought on 10 March: renewed on 9 April and 9 May, at the clock's instants; next on 8 June.
        var renewal = await silo.GetAsync(silo.Admin, $"/api/v1/admin/customers/{customerId}/renewal");
        Assert.Equal(("scheduled", bought.AddDays(90)), (renewal.GetProperty("status").GetString(), renewal.GetProperty("renews_at").GetDateTimeOffset()));
        var renewedAt = await silo.Services.GetRequiredService<SqlDatabase>().QueryListAsync(
            $"SELECT created_at_ms FROM payments WHERE customer_id = '{customerId}' AND purpose = 'plan_renewal' ORDER BY created_at_ms", c => c, r => r.GetInt64(0), CancellationToken.None);
        Assert.Equal([bought.AddDays(30).ToUnixTimeMilliseconds(), bought.AddDays(60).ToUnixTimeMilliseconds()], renewedAt);
        var subscription = await silo.GetAsync(client, "/api/v1/billing/subscription");
        Assert.Equal((3_000L, bought.AddDays(90)), (subscription.GetProperty("tokens_granted").GetInt64(), subscription.GetProperty("end_date").GetDateTimeOffset()));
        Assert.Null(await silo.Services.GetRequiredService<IReminderTable>().ReadRow(GrainId.Create("plan-renewal", customerId), "renew"));
    }
}
