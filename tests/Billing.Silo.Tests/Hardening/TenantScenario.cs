using System.Net;
using System.Net.Http.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Silo.Tests.Payments;

namespace Billing.Silo.Tests.Hardening;

/// <summary>One customer with its shop and key, and the ids of what it owns, for the isolation tests.</summary>
internal sealed record Tenant(string CustomerId, string ShopId, string Key, string InvoiceId, string CreditNoteId, string PaymentId, string MethodId, string UsageId)
{
    /// <summary>Every id of the tenant: none may show in another tenant's answer.</summary>
    public IReadOnlyList<string> Ids => [CustomerId, ShopId, InvoiceId, CreditNoteId, PaymentId, MethodId, UsageId];
}

/// <summary>
/// Two customers, each with a shop and key; B owns one of everything a customer endpoint can name (an invoice
/// collected from its saved card, a credit note, a payment, a payment method, a recurring plan's renewal, usage,
/// a reported sale); A has an invoice of its own, and a second shop (A's sibling) with its own key and invoice.
/// Billed through a run (the silo closes no period on reminders).
/// </summary>
internal static class TenantScenario
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    public const string SharedIdempotencyKey = "isolation-1";
    public const string SharedOrderId = "order-1";
    public const string ConsumeBody = """{"tokens":1,"endpoint":"/v1/search"}""";

    private static readonly DateTimeOffset AfterNovember = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    public static async Task<(Tenant A, Tenant B, Tenant Sibling)> TwoCustomersAsync(CatalogSilo silo)
    {
        var a = await BillingScenario.CustomerAsync(silo, "UTC", "Shop A");
        var siblingShopId = (await silo.PostAsync($"/api/v1/admin/customers/{a.CustomerId}/shops", new { name = "Shop A2" })).GetProperty("id").GetString()!;
        var siblingKey = (await silo.PostAsync($"/api/v1/admin/shops/{siblingShopId}/api-keys", new { name = "production" })).GetProperty("key").GetString()!;
        await BillingScenario.ConsumeAsync(silo, siblingKey, 1);
        var b = await BillingScenario.CustomerAsync(silo, "UTC", "Shop B");
        using var client = BillingScenario.Client(silo, b.Key);
        var method = await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", CollectionScenario.Card("4242424242424242")), HttpStatusCode.Created);
        await BillingScenario.ConsumeAsync(silo, a.Key, 2);
        await BillingScenario.ConsumeAsync(silo, b.Key, 3);
        var usage = await ConsumeAsync(silo, b.Key, HttpStatusCode.OK);
        await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/usage/revenue", new { events = new[] { new { order_id = SharedOrderId, amount = 10.00m } } }), HttpStatusCode.OK);

        silo.Time.Advance(AfterNovember - silo.Time.GetUtcNow());
        await BillingScenario.RunAsync(silo, new { shop_ids = new[] { a.ShopId, b.ShopId, siblingShopId } });
        var invoiceId = await InvoiceOfAsync(silo, b.Key);
        var collection = await CollectionScenario.AttemptsMadeAsync(silo, invoiceId, 1);
        Assert.Equal("paid", collection.GetProperty("status").GetString());
        var note = await silo.PostAsync($"/api/v1/admin/invoices/{invoiceId}/refunds", new { amount = 0.01m, reason = "goodwill" });
        var monthly = await silo.PostAsync("/api/v1/admin/plans", new { name = "Monthly", price = 15.00m, currency = "EUR", tokens_included = 1_000, duration_days = 30, is_recurring = true });
        await PurchaseApiTests.PurchaseAsync(silo, b.Key, monthly.GetProperty("id").GetString()!, "4242424242424242", HttpStatusCode.OK);
        var payment = (await silo.GetAsync(client, "/api/v1/billing/payments")).GetProperty("payments")[0];

        var tenantA = new Tenant(a.CustomerId, a.ShopId, a.Key, await InvoiceOfAsync(silo, a.Key), "", "", "", "");
        var tenantB = new Tenant(b.CustomerId, b.ShopId, b.Key, invoiceId, note.GetProperty("id").GetString()!, payment.GetProperty("id").GetString()!,
            method.GetProperty("id").GetString()!, usage.GetProperty("usage_id").GetString()!);
        // The sibling's customer is A's: only what is the shop's own (invoices, periods, usage) is kept from A's key.
        var sibling = new Tenant("", siblingShopId, siblingKey, await InvoiceOfAsync(silo, siblingKey), "", "", "", "");
        return (tenantA, tenantB, sibling);
    }

    /// <summary>A consume with the Idempotency-Key both tenants send: one shop's key must never replay another's answer.</summary>
    public static async Task<System.Text.Json.JsonElement> ConsumeAsync(CatalogSilo silo, string key, HttpStatusCode expected)
    {
        using var client = BillingScenario.Client(silo, key);
        client.DefaultRequestHeaders.Add("Idempotency-Key", SharedIdempotencyKey);
        return await silo.PostRawAsync(client, "/api/v1/billing/tokens/consume", ConsumeBody, "application/json", expected);
    }

    /// <summary>What B sees of itself through its own key, view by view; compared before and after A's requests.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ViewsAsync(CatalogSilo silo, Tenant tenant)
    {
        using var client = BillingScenario.Client(silo, tenant.Key);
        string[] paths =
        [
            "/api/v1/billing/invoices", $"/api/v1/billing/invoices/{tenant.InvoiceId}", $"/api/v1/billing/invoices/{tenant.InvoiceId}/credit-notes",
            $"/api/v1/billing/credit-notes/{tenant.CreditNoteId}", $"/api/v1/billing/invoices/{tenant.InvoiceId}/collection", "/api/v1/billing/periods",
            "/api/v1/billing/payments", $"/api/v1/billing/payments/{tenant.PaymentId}", "/api/v1/billing/payment-methods",
            $"/api/v1/billing/payment-methods/{tenant.MethodId}", "/api/v1/billing/renewal", "/api/v1/billing/subscription", "/api/v1/usage",
        ];
        var views = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            views[path] = (await silo.GetAsync(client, path)).GetRawText();
        }

        string[] rows =
        [
            $"SELECT COUNT(*) FROM usage_events WHERE shop_id = '{tenant.ShopId}'", $"SELECT COUNT(*) FROM revenue_events WHERE shop_id = '{tenant.ShopId}'",
            $"SELECT COUNT(*) FROM invoices WHERE shop_id = '{tenant.ShopId}'", $"SELECT COUNT(*) FROM credit_notes WHERE shop_id = '{tenant.ShopId}'",
            $"SELECT COUNT(*) FROM payments WHERE customer_id = '{tenant.CustomerId}'", $"SELECT COUNT(*) FROM payment_methods WHERE customer_id = '{tenant.CustomerId}'",
            $"SELECT COUNT(*) FROM invoice_collections WHERE customer_id = '{tenant.CustomerId}'", $"SELECT COUNT(*) FROM plan_renewals WHERE customer_id = '{tenant.CustomerId}'",
        ];
        foreach (var sql in rows)
        {
            views[sql] = (await BillingScenario.CountAsync(silo, sql)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return views;
    }

    private static async Task<string> InvoiceOfAsync(CatalogSilo silo, string key)
    {
        using var client = BillingScenario.Client(silo, key);
        var invoice = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray());
        return invoice.GetProperty("id").GetString()!;
    }
}
