using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Privacy;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Silo.Tests.Payments;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Privacy;

/// <summary>
/// GDPR: an export holds every stored row of the customer (no key hashes); an erasure pseudonymises
/// the customer and its shops, revokes its keys, removes its payment details and mails, keeps the
/// issued invoice as issued, and changes nothing when repeated.
/// </summary>
public sealed class CustomerPrivacyTests
{
    private static readonly DateTimeOffset November21 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => [StorageOptions.Sqlite, StorageOptions.Postgres];

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AnErasedCustomerIsPseudonymisedItsKeysRevokedAndItsInvoiceKeptAsIssued(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: November21, BillingScenario.RunsOnly);
        var (customerId, shopId, key) = await BillingScenario.CustomerAsync(silo, "UTC", "Jane Doe Consulting");
        using var client = BillingScenario.Client(silo, key);
        await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", CollectionScenario.Card("4242424242424242")), HttpStatusCode.Created);
        await BillingScenario.ConsumeAsync(silo, key, 3);
        silo.Time.Advance(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero) - silo.Time.GetUtcNow());
        await BillingScenario.RunAsync(silo, new { shop_ids = new[] { shopId } });
        var invoiceBefore = await InvoiceDocumentAsync(silo, customerId);

        var before = await ExportAsync(silo, customerId);
        var erased = await silo.PostAsync($"/api/v1/admin/customers/{customerId}/erase", new { }, HttpStatusCode.OK);
        var again = await silo.PostAsync($"/api/v1/admin/customers/{customerId}/erase", new { }, HttpStatusCode.OK);
        var after = await ExportAsync(silo, customerId);

        Assert.Equal(("Jane Doe Consulting", "billing@acme.com", "Jane Doe Consulting shop"), (Row(before, "customers")["name"], Row(before, "customers")["email"], Row(before, "shops")["name"]));
        Assert.Equal((1, 3, 1, 1), (Rows(before, "api_keys").Count, Rows(before, "usage_events").Count, Rows(before, "invoices").Count, Rows(before, "payment_methods").Count));
        Assert.Equal("4242", Row(before, "payment_methods")["last4"]);
        Assert.DoesNotContain(Rows(before, "api_keys"), r => r.ContainsKey("key_hash"));
        Assert.Equal((false, 1, 1, 1), (erased.GetProperty("already_erased").GetBoolean(), erased.GetProperty("revoked_api_keys").GetInt32(), erased.GetProperty("shops_pseudonymised").GetInt32(), erased.GetProperty("payment_methods_removed").GetInt32()));
        Assert.Equal((true, 0, 0, 0), (again.GetProperty("already_erased").GetBoolean(), again.GetProperty("revoked_api_keys").GetInt32(), again.GetProperty("shops_pseudonymised").GetInt32(), again.GetProperty("payment_methods_removed").GetInt32()));
        Assert.Equal(erased.GetProperty("erased_at").GetDateTimeOffset(), again.GetProperty("erased_at").GetDateTimeOffset());
        Assert.Equal((CustomerErasure.ErasedName, $"erased-{customerId}@erased.invalid", CustomerErasure.ErasedShopName), (Row(after, "customers")["name"], Row(after, "customers")["email"], Row(after, "shops")["name"]));
        Assert.Equal(("", "erased", null), (Row(after, "payment_methods")["last4"], Row(after, "payment_methods")["provider_ref"], Row(after, "payment_methods")["brand"]));
        Assert.Empty(Rows(after, "payment_customers"));
        Assert.Contains(Rows(before, "audit_log"), r => r["after_json"] is { } state && state.Contains("Jane Doe Consulting", StringComparison.Ordinal));
        Assert.All(Rows(after, "audit_log"), r => Assert.DoesNotContain("Jane Doe", r["after_json"] + r["before_json"], StringComparison.Ordinal));
        Assert.Equal((3, 1), (Rows(after, "usage_events").Count, Rows(after, "invoices").Count));
        Assert.Equal(invoiceBefore, await InvoiceDocumentAsync(silo, customerId));
        Assert.Contains("Jane Doe Consulting", invoiceBefore, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/v1/billing/subscription", UriKind.Relative))).StatusCode);
        Assert.Empty((await silo.GetAsync(silo.Admin, "/api/v1/admin/customers?q=jane")).GetProperty("customers").EnumerateArray());
        using var patch = await silo.Admin.PatchAsJsonAsync(new Uri($"/api/v1/admin/customers/{customerId}", UriKind.Relative), new { name = "Jane Doe" });
        var patched = await CatalogSilo.ReadAsync(patch, HttpStatusCode.Conflict);
        Assert.Equal("customer_erased", patched.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnUnknownCustomerIsNotFoundForExportAndErasure()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);

        var export = await silo.GetAsync(silo.Admin, "/api/v1/admin/customers/cus_0000000000000000000000/export", HttpStatusCode.NotFound);
        var erase = await silo.PostAsync("/api/v1/admin/customers/cus_0000000000000000000000/erase", new { }, HttpStatusCode.NotFound);

        Assert.Equal(("customer_not_found", "customer_not_found"), (export.GetProperty("code").GetString(), erase.GetProperty("code").GetString()));
    }

    private static async Task<JsonElement> ExportAsync(CatalogSilo silo, string customerId)
    {
        using var response = await silo.Admin.GetAsync(new Uri($"/api/v1/admin/customers/{customerId}/export", UriKind.Relative));
        Assert.Equal($"attachment; filename=\"customer-{customerId}.json\"", response.Content.Headers.ContentDisposition?.ToString());
        var export = await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal((customerId, "billing-orleans.customer-export.v1"), (export.GetProperty("customer_id").GetString(), export.GetProperty("format").GetString()));
        return export;
    }

    private static List<Dictionary<string, string?>> Rows(JsonElement export, string table) =>
        [.. export.GetProperty("tables").GetProperty(table).EnumerateArray()
            .Select(r => r.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ToString()))];

    private static Dictionary<string, string?> Row(JsonElement export, string table) => Assert.Single(Rows(export, table));

    private static Task<string> InvoiceDocumentAsync(CatalogSilo silo, string customerId) =>
        silo.Services.GetRequiredService<SqlDatabase>().ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT document_json FROM invoices WHERE customer_id = @customer_id").With("customer_id", customerId);
                return Convert.ToString(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture)!;
            },
            CancellationToken.None);
}
