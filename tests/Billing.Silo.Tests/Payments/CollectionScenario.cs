using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Silo.Payments.Collection;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace Billing.Silo.Tests.Payments;

/// <summary>A customer with a saved method whose November invoice is issued at the month end, and a look at its collection.</summary>
internal static class CollectionScenario
{
    // 23:00 local on 30 November in Amsterdam (UTC+1); the period closes at 01:00 local on 1 December.
    public static readonly DateTimeOffset BeforeMonthEnd = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset AfterClose = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The customer, its key, and its November invoice (3 calls: 0.04 EUR), issued with <paramref name="method"/> saved as its default.</summary>
    public static async Task<(string CustomerId, string Key, string InvoiceId)> InvoicedAsync(CatalogSilo silo, object method)
    {
        var (customerId, _, key) = await UsedAsync(silo, method);
        using var client = BillingScenario.Client(silo, key);
        await BillingScenario.AdvanceAndTickAsync(silo, AfterClose);
        var invoice = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray());
        return (customerId, key, invoice.GetProperty("id").GetString()!);
    }

    /// <summary>A customer in Amsterdam with <paramref name="method"/> saved as its default and 3 calls (0.04 EUR) in its current period.</summary>
    public static async Task<(string CustomerId, string ShopId, string Key)> UsedAsync(CatalogSilo silo, object method)
    {
        var (customerId, shopId, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        using var client = BillingScenario.Client(silo, key);
        await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", method), HttpStatusCode.Created);
        await BillingScenario.ConsumeAsync(silo, key, 3);
        return (customerId, shopId, key);
    }

    public static object Card(string number) => new { card = new { number, exp_month = 12, exp_year = 2030, cvc = "123" } };

    public static Task<JsonElement> CollectionAsync(CatalogSilo silo, string invoiceId) =>
        silo.GetAsync(silo.Admin, $"/api/v1/admin/invoices/{invoiceId}/collection");

    /// <summary>
    /// Waits until the collection has made <paramref name="attempts"/> attempts and left
    /// <c>collecting</c>, or has its next one scheduled: reminders fire on the manual clock, which
    /// moves a millisecond per look (Orleans delays an overdue tick by one).
    /// </summary>
    public static async Task<JsonElement> AttemptsMadeAsync(CatalogSilo silo, string invoiceId, int attempts)
    {
        JsonElement collection = default;
        await Eventually.TrueAsync(
            async () =>
            {
                silo.Time.Advance(TimeSpan.FromMilliseconds(1));
                using var response = await silo.Admin.GetAsync(new Uri($"/api/v1/admin/invoices/{invoiceId}/collection", UriKind.Relative));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }

                collection = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                if (collection.GetProperty("attempts").GetInt32() != attempts)
                {
                    return false;
                }

                // A retry is scheduled once the grain's reminder holds it: the test must not move the clock before.
                return collection.GetProperty("status").GetString() != "collecting"
                    || await ReminderDueAsync(silo, invoiceId) is { } due && due >= collection.GetProperty("next_attempt_at").GetDateTimeOffset();
            },
            $"invoice {invoiceId}: {attempts} collection attempts",
            timeoutMs: 20_000);
        return collection;
    }

    /// <summary>When the collection's reminder next ticks, as the reminder table holds it; null when it has none.</summary>
    public static async Task<DateTimeOffset?> ReminderDueAsync(CatalogSilo silo, string invoiceId)
    {
        var entry = await silo.Services.GetRequiredService<IReminderTable>().ReadRow(GrainId.Create("invoice-collection", invoiceId), InvoiceCollectionGrain.CollectReminder);
        return entry is null ? null : new DateTimeOffset(DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc));
    }

    public static async Task<JsonElement> ConsumeAsync(CatalogSilo silo, string key, HttpStatusCode expected)
    {
        using var client = BillingScenario.Client(silo, key);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 1, endpoint = "/v1/search" });
        return await CatalogSilo.ReadAsync(response, expected);
    }

    public static (string?, string?, decimal) Attempt(JsonElement payment) =>
        (payment.GetProperty("status").GetString(), payment.GetProperty("decline_code").GetString(), payment.GetProperty("amount").GetDecimal());
}
