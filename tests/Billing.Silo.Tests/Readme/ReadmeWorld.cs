using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Billing.Domain;
using Billing.Silo.Alerts;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Billing.Silo.Tests.Readme;

/// <summary>
/// The objects the README's examples act on, made through the real API before the examples run: what <c>$KEY</c>,
/// <c>$INVOICE</c>, <c>plan_…</c> or <c>cus_4fT9kQ2mZx81LbVw0pRa</c> stand for. Shops open on 2 November 2026, their
/// November is invoiced on 1 December, and the examples run on 21 December 2026, the README's "today".
/// </summary>
internal static class ReadmeWorld
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Invoicing = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Today = new(2026, 12, 21, 12, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyDictionary<string, string> Settings = BillingScenario.RunsOnly;

    /// <summary>
    /// What the README's shell variables (<c>$KEY</c>) and its literal placeholders and example ids (<c>plan_…</c>,
    /// <c>cus_4fT9kQ2mZx81LbVw0pRa</c>) stand for; and invoices in other states, for examples that need them.
    /// </summary>
    public sealed record Bindings(Dictionary<string, string> Variables, Dictionary<string, string> Literals, Dictionary<string, string> Invoices);

    public static async Task<Bindings> CreateAsync(CatalogSilo silo)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["BILLING_ADMIN_KEY"] = CatalogSilo.AdminKey };
        var monthly = await Id(silo, "/api/v1/admin/price-plans", new { name = "Standard", currency = "EUR", charges = new[] { new { type = "flat", service = "Platform", amount = 100.00m } } });
        var plan = await Id(silo, "/api/v1/admin/plans", new { name = "Pro", price = 15.00m, currency = "EUR", tokens_included = 1_000, duration_days = 365, is_recurring = true });
        var acme = await Id(silo, "/api/v1/admin/customers", new { name = "Acme BV", email = "billing@acme.com" });
        await silo.PostAsync($"/api/v1/admin/customers/{acme}/subscription", new { plan_id = plan }, HttpStatusCode.OK);
        var shops = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "main", "pay", "waive", "transfer", "close" })
        {
            shops[name] = await ShopAsync(silo, acme, name, monthly);
        }

        var key = await silo.PostAsync($"/api/v1/admin/shops/{shops["main"]}/api-keys", new { name = "production" });
        var apiKey = key.GetProperty("key").GetString()!;
        await BillingScenario.ConsumeAsync(silo, apiKey, calls: 3);

        // A customer whose card attaches but is declined when its invoice is collected.
        var globex = await Id(silo, "/api/v1/admin/customers", new { name = "Globex", email = "ap@globex.example" });
        var globexShop = await ShopAsync(silo, globex, "globex", monthly);
        var globexKey = (await silo.PostAsync($"/api/v1/admin/shops/{globexShop}/api-keys", new { name = "production" })).GetProperty("key").GetString()!;
        using (var client = BillingScenario.Client(silo, globexKey))
        {
            using var card = await client.PostAsJsonAsync("/api/v1/billing/payment-methods", new { card = new { number = "4000 0000 0000 0341", exp_month = 12, exp_year = 2030 } });
            await CatalogSilo.ReadAsync(card, HttpStatusCode.Created);
        }

        // Seed 003's per-seat plans in USD, for "Plan changes".
        var initech = await Id(silo, "/api/v1/admin/customers", new { name = "Initech", email = "it@initech.example", currency = "USD", time_zone = "America/New_York" });
        var usdShop = await ShopAsync(silo, initech, "screens", pricePlanId: null);
        var standard = await PerSeatAsync(silo, "Standard", 10m);
        var proPlus = await PerSeatAsync(silo, "Pro Plus", 15m);

        silo.Time.Advance(Invoicing - silo.Time.GetUtcNow());
        var run = await BillingScenario.RunAsync(silo, new { period = "2026-11" });
        var invoices = run.GetProperty("results").EnumerateArray()
            .Where(result => result.GetProperty("invoices").GetArrayLength() > 0)
            .ToDictionary(result => result.GetProperty("shop_id").GetString()!, result => result.GetProperty("invoices")[0].GetProperty("invoice_id").GetString()!, StringComparer.Ordinal);
        var collecting = invoices[globexShop];
        await Eventually.TrueAsync(
            async () => (await silo.GetAsync(silo.Admin, $"/api/v1/admin/invoices/{collecting}/collection")).GetProperty("attempts").GetInt32() > 0,
            "the declined card's first collection attempt");

        silo.Time.Advance(Today - silo.Time.GetUtcNow());
        var main = invoices[shops["main"]];
        await silo.PostAsync($"/api/v1/admin/invoices/{main}/pay", new { reference = "SEPA-0001" }, HttpStatusCode.OK);
        var note = await silo.PostAsync($"/api/v1/admin/invoices/{main}/refunds", new { amount = 12.10m, reason = "Goodwill" });
        await PurchaseNeedingAuthenticationAsync(silo, apiKey, plan, values);
        await RaiseCostAlertAsync(silo);

        values["KEY"] = apiKey;
        values["SHOP"] = shops["main"];
        values["CUSTOMER"] = acme;
        values["INVOICE"] = invoices[shops["pay"]];
        values["CREDIT_NOTE"] = note.GetProperty("id").GetString()!;
        var literals = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["plan_…"] = plan,
            ["shop_…"] = usdShop,
            ["price_…"] = standard,
            ["pro_plus_…"] = proPlus,
            ["cus_4fT9kQ2mZx81LbVw0pRa"] = acme,
            ["shop_9Xc1Vb2Nm3Aq4Ws5Ed6R"] = shops["close"],
            ["inv_7Hk2Lm9Qw3Er5Ty8Ui1O"] = invoices[shops["pay"]],
            ["Q2mZx81L"] = key.GetProperty("prefix").GetString()!,
        };
        var named = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["waive"] = invoices[shops["waive"]],
            ["transfer"] = invoices[shops["transfer"]],
            ["collecting"] = collecting,
        };
        return new Bindings(values, literals, named);
    }

    private static async Task<string> Id(CatalogSilo silo, string path, object body) =>
        (await silo.PostAsync(path, body)).GetProperty("id").GetString()!;

    private static async Task<string> ShopAsync(CatalogSilo silo, string customer, string name, string? pricePlanId)
    {
        var shop = await Id(silo, $"/api/v1/admin/customers/{customer}/shops", new { name });
        if (pricePlanId is not null)
        {
            using var terms = await silo.Admin.PutAsJsonAsync($"/api/v1/admin/shops/{shop}/billing", new { price_plan_id = pricePlanId });
            await CatalogSilo.ReadAsync(terms, HttpStatusCode.OK);
        }

        return shop;
    }

    private static Task<string> PerSeatAsync(CatalogSilo silo, string name, decimal pricePerSeat) =>
        Id(silo, "/api/v1/admin/price-plans", new { name, currency = "USD", charges = new[] { new { type = "per_seat", service = "Screens", price_per_seat = pricePerSeat } } });

    /// <summary>A payment waiting for 3-D Secure: what <c>$PAYMENT_ID</c> confirms.</summary>
    private static async Task PurchaseNeedingAuthenticationAsync(CatalogSilo silo, string key, string plan, Dictionary<string, string> values)
    {
        using var client = BillingScenario.Client(silo, key);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = plan, card = new { number = "4000002500003155", exp_month = 12, exp_year = 2030 } });
        var pending = await CatalogSilo.ReadAsync(response, HttpStatusCode.Accepted);
        values["PAYMENT_ID"] = pending.GetProperty("payment").GetProperty("id").GetString()!;
    }

    /// <summary>A cost alert as the cost monitor records one (the alerts example lists them).</summary>
    private static Task RaiseCostAlertAsync(CatalogSilo silo)
    {
        var at = Instant.FromDateTimeOffset(silo.Time.GetUtcNow());
        var day = at.InUtc().Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var alert = new Alert(AlertKinds.CostDaily, "platform", day, "EUR 100.00", "EUR 104.37", $"Platform cost on {day} reached EUR 104.37 (threshold EUR 100.00)", at);
        return silo.Services.GetRequiredService<AlertStore>().RecordAsync(alert, CancellationToken.None);
    }
}
