using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Tests.Catalog;

namespace Billing.Silo.Tests.Closing;

/// <summary>Seed 003's per-seat plans, a customer billed in dollars in New York, and its shop's terms, through the real admin API.</summary>
internal static class PlanScenario
{
    public const string Zone = "America/New_York";

    // The manual clock fires every tick of the silo's one-second timers on its way: a month at once would be too many.
    private static readonly TimeSpan MaxStep = TimeSpan.FromDays(5);

    /// <summary>Moves the clock to <paramref name="at"/> in steps of a few days, delivering the reminders due on the way.</summary>
    public static async Task AdvanceAsync(CatalogSilo silo, DateTimeOffset at)
    {
        while (silo.Time.GetUtcNow() < at)
        {
            var step = at - silo.Time.GetUtcNow();
            await BillingScenario.AdvanceAndTickAsync(silo, step > MaxStep ? silo.Time.GetUtcNow() + MaxStep : at);
        }
    }

    public static async Task<string> PerSeatPlanAsync(CatalogSilo silo, string name, decimal pricePerSeat, string currency = "USD")
    {
        var plan = await silo.PostAsync(
            "/api/v1/admin/price-plans", new { name, currency, charges = new[] { new { type = "per_seat", service = "Screens", price_per_seat = pricePerSeat } } });
        return plan.GetProperty("id").GetString()!;
    }

    /// <summary>A dollar customer in New York (VAT 21 %, the default) with one shop and its API key.</summary>
    public static async Task<(string ShopId, string Key)> ShopAsync(CatalogSilo silo)
    {
        var customer = await silo.PostAsync("/api/v1/admin/customers", new { name = "Screens Inc", email = "billing@screens.example", currency = "USD", time_zone = Zone });
        var shopId = (await silo.PostAsync($"/api/v1/admin/customers/{customer.GetProperty("id").GetString()}/shops", new { name = "Lobby screens" })).GetProperty("id").GetString()!;
        var key = (await silo.PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { name = "production" })).GetProperty("key").GetString()!;
        return (shopId, key);
    }

    public static async Task<JsonElement> PutTermsAsync(CatalogSilo silo, string shopId, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await silo.Admin.PutAsJsonAsync(new Uri($"/api/v1/admin/shops/{shopId}/billing", UriKind.Relative), body);
        return await CatalogSilo.ReadAsync(response, expected);
    }

    public static Task<JsonElement> TermsAsync(CatalogSilo silo, string shopId) => silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}/billing");

    /// <summary>The shop's invoices, oldest first.</summary>
    public static async Task<IReadOnlyList<JsonElement>> InvoicesAsync(CatalogSilo silo, string key)
    {
        using var client = BillingScenario.Client(silo, key);
        var invoices = (await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray().ToList();
        invoices.Reverse();
        return invoices;
    }

    public static IReadOnlyList<(string Service, decimal Quantity, decimal UnitPrice, decimal Amount)> Lines(JsonElement owner) =>
        [.. owner.GetProperty("lines").EnumerateArray().Select(l =>
            (l.GetProperty("service").GetString()!, l.GetProperty("quantity").GetDecimal(), l.GetProperty("unit_price").GetDecimal(), l.GetProperty("amount").GetDecimal()))];

    public static (decimal Subtotal, decimal Vat, decimal Total) Totals(JsonElement invoice) =>
        (invoice.GetProperty("subtotal").GetDecimal(), invoice.GetProperty("vat").GetDecimal(), invoice.GetProperty("total").GetDecimal());

    public static (string Start, string End) Period(JsonElement invoice) =>
        (invoice.GetProperty("period_start").GetString()!, invoice.GetProperty("period_end").GetString()!);
}
