using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;

namespace Billing.Silo.Tests.Analytics;

/// <summary>
/// Seed 003's plans over October..December 2026 through the real API, closing on the shops'
/// reminders. USD customers in New York: A on Standard × 3 from 20 October, upgraded to Pro Plus × 3
/// on 16 November, buys a 15.00 token plan on 20 November and makes four calls; B from 2 November on
/// Pro Plus × 2, asks on 16 November for Standard (effective 1 December); D on Free × 2 (a downgrade
/// from the default, so from 1 November). EUR customer C in Amsterdam on Basis × 1 (20.00) from
/// 20 October, down to no seats on 17 November (a cancellation, effective 1 December). B pays its
/// November invoice and gets 12.10 of it back on 1 December.
/// </summary>
internal sealed record AnalyticsScenario(string CustomerA, string ShopA, IReadOnlyDictionary<string, string> PlanNames)
{
    public static readonly DateTimeOffset October20 = new(2026, 10, 20, 16, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset November2 = new(2026, 11, 2, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset November16Evening = new(2026, 11, 17, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset November20 = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NovemberClosed = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    public static async Task<AnalyticsScenario> RunAsync(CatalogSilo silo)
    {
        var standard = await PlanScenario.PerSeatPlanAsync(silo, "Standard", 10m);
        var proPlus = await PlanScenario.PerSeatPlanAsync(silo, "Pro Plus", 15m);
        var free = await PlanScenario.PerSeatPlanAsync(silo, "Free", 0m);
        var basis = await PlanScenario.PerSeatPlanAsync(silo, "Basis", 20m, "EUR");
        var (customerA, shopA, keyA) = await ShopAsync(silo, "USD", PlanScenario.Zone);
        await PlanScenario.PutTermsAsync(silo, shopA, new { price_plan_id = standard, seats = 3 });
        var (_, shopD, _) = await ShopAsync(silo, "USD", PlanScenario.Zone);
        await PlanScenario.PutTermsAsync(silo, shopD, new { price_plan_id = free, seats = 2 });
        var (_, shopC, _) = await ShopAsync(silo, "EUR", "Europe/Amsterdam");
        await PlanScenario.PutTermsAsync(silo, shopC, new { price_plan_id = basis, seats = 1 });

        await PlanScenario.AdvanceAsync(silo, November2);
        await BillingScenario.RunAsync(silo, new { period = "2026-10" });
        var (_, shopB, _) = await ShopAsync(silo, "USD", PlanScenario.Zone);
        await PlanScenario.PutTermsAsync(silo, shopB, new { price_plan_id = proPlus, seats = 2 });
        var tokens = await silo.PostAsync(
            "/api/v1/admin/plans", new { name = "Tokens", price = 15.00m, currency = "USD", tokens_included = 1000, duration_days = 30, is_recurring = true });

        await PlanScenario.AdvanceAsync(silo, November16Evening);
        await PlanScenario.PutTermsAsync(silo, shopA, new { price_plan_id = proPlus });
        await PlanScenario.PutTermsAsync(silo, shopB, new { price_plan_id = standard });
        await PlanScenario.PutTermsAsync(silo, shopC, new { seats = 0 });

        await PlanScenario.AdvanceAsync(silo, November20);
        await BuyAndCallAsync(silo, keyA, tokens.GetProperty("id").GetString()!);
        await PlanScenario.AdvanceAsync(silo, NovemberClosed);
        // A run closes whatever the reminders' queue has not closed yet, and answers when it has.
        await BillingScenario.RunAsync(silo, new { period = "2026-11" });
        await PayAndRefundAsync(silo, shopB);
        var names = new Dictionary<string, string> { [standard] = "Standard", [proPlus] = "Pro Plus", [free] = "Free", [basis] = "Basis" };
        return new AnalyticsScenario(customerA, shopA, names);
    }

    /// <summary>The figures of one currency in one month of an MRR or revenue answer.</summary>
    public static JsonElement Currency(JsonElement answer, string month, string currency) =>
        answer.GetProperty("months").EnumerateArray().Single(m => m.GetProperty("month").GetString() == month)
            .GetProperty("currencies").EnumerateArray().Single(c => c.GetProperty("currency").GetString() == currency);

    private static async Task<(string CustomerId, string ShopId, string Key)> ShopAsync(CatalogSilo silo, string currency, string zone)
    {
        var customer = (await silo.PostAsync("/api/v1/admin/customers", new { name = "Screens Inc", email = "billing@screens.example", currency, time_zone = zone }))
            .GetProperty("id").GetString()!;
        var shopId = (await silo.PostAsync($"/api/v1/admin/customers/{customer}/shops", new { name = "Lobby screens" })).GetProperty("id").GetString()!;
        var key = (await silo.PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { name = "production" })).GetProperty("key").GetString()!;
        return (customer, shopId, key);
    }

    /// <summary>B pays its November invoice (35.09) and gets 12.10 back: a credit note of 10.00 and 2.10 VAT, on 1 December.</summary>
    private static async Task PayAndRefundAsync(CatalogSilo silo, string shopId)
    {
        var periods = await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}/periods");
        var invoiceId = periods.GetProperty("periods").EnumerateArray()
            .Single(p => p.GetProperty("period_start").GetString() == "2026-11-01").GetProperty("invoice_id").GetString()!;
        await silo.PostAsync($"/api/v1/admin/invoices/{invoiceId}/pay", new { reference = "SEPA-4711" }, HttpStatusCode.OK);
        await silo.PostAsync($"/api/v1/admin/invoices/{invoiceId}/refunds", new { amount = 12.10m, reason = "Outage" });
    }

    private static async Task BuyAndCallAsync(CatalogSilo silo, string key, string tokenPlan)
    {
        using var client = BillingScenario.Client(silo, key);
        using var bought = await client.PostAsJsonAsync(
            "/api/v1/billing/purchase", new { plan_id = tokenPlan, card = new { number = "4242424242424242", exp_month = 12, exp_year = 2030 } });
        await CatalogSilo.ReadAsync(bought, HttpStatusCode.OK);
        object[] calls =
        [
            new { tokens = 5, endpoint = "/v1/chat", status_code = 200 }, new { tokens = 5, endpoint = "/v1/chat", status_code = 200 },
            new { tokens = 5, endpoint = "/v1/chat", status_code = 201 }, new { tokens = 1, endpoint = "/v1/embed", status_code = 500 },
        ];
        foreach (var call in calls)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", call);
            await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);
        }
    }
}
