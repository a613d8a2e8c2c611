using System.Net;
using System.Net.Http.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using static Billing.Silo.Tests.Payments.CollectionScenario;

namespace Billing.Silo.Tests.Payments;

/// <summary>Invoices collected on issue from the customer's default method (the sandbox's test cards and IBANs), and saved methods.</summary>
public sealed class CollectionTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AnIssuedInvoiceIsChargedToTheDefaultCardOnceAndItsPeriodMarkedPaidWithTheProvidersReference(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var (_, key, invoiceId) = await InvoicedAsync(silo, Card("4242 4242 4242 4242"));

        var collection = await AttemptsMadeAsync(silo, invoiceId, 1);

        Assert.Equal(("paid", 0.04m), (collection.GetProperty("status").GetString(), collection.GetProperty("amount").GetDecimal()));
        var payment = Assert.Single(collection.GetProperty("payments").EnumerateArray());
        Assert.Equal(("succeeded", "invoice_collection", invoiceId, "visa", "4242"), (payment.GetProperty("status").GetString(), payment.GetProperty("purpose").GetString(),
            payment.GetProperty("invoice_id").GetString(), payment.GetProperty("card_brand").GetString(), payment.GetProperty("card_last4").GetString()));
        var reference = payment.GetProperty("provider_reference").GetString()!;
        Assert.StartsWith("pi_sandbox_", reference, StringComparison.Ordinal);
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE invoice_id = '{invoiceId}' AND status = 'paid' AND payment_reference = '{reference}'"));
        // Asking again changes nothing: the invoice is paid once.
        using var client = BillingScenario.Client(silo, key);
        var again = await CatalogSilo.ReadAsync(await client.PostAsync(new Uri($"/api/v1/billing/invoices/{invoiceId}/pay", UriKind.Relative), null), HttpStatusCode.Conflict);
        Assert.Equal("invoice_already_settled", again.GetProperty("code").GetString());
        Assert.Single((await silo.GetAsync(client, "/api/v1/billing/payments")).GetProperty("payments").EnumerateArray());
    }

    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 00", "paid", null)]
    [InlineData("AT86 1904 3002 3547 3202", "collecting", "insufficient_funds")]
    public async Task ASepaMandateIsDebitedForTheInvoice(string iban, string status, string? failureCode)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var (_, _, invoiceId) = await InvoicedAsync(silo, new { sepa_debit = new { iban, account_holder = "Acme GmbH" } });

        var collection = await AttemptsMadeAsync(silo, invoiceId, 1);

        var payment = Assert.Single(collection.GetProperty("payments").EnumerateArray());
        Assert.Equal((status, failureCode, iban.Replace(" ", "", StringComparison.Ordinal)[^4..]),
            (collection.GetProperty("status").GetString(), payment.GetProperty("failure_code").GetString(), payment.GetProperty("card_last4").GetString()));
    }

    [Fact]
    public async Task SavedMethodsAreListedWithoutTheirNumbersAndACardDeclinedOnAttachingIsRefused()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        using var client = BillingScenario.Client(silo, key);

        var visa = await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", Card("4242424242424242")), HttpStatusCode.Created);
        silo.Time.Advance(TimeSpan.FromSeconds(1)); // listed oldest first
        var sepa = await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", new { sepa_debit = new { iban = "AT611904300234573201", account_holder = "Acme" }, make_default = false }), HttpStatusCode.Created);
        var declined = await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", Card("4000000000000002")), HttpStatusCode.PaymentRequired);
        var badIban = await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", new { sepa_debit = new { iban = "DE89370400440532013001", account_holder = "Acme" } }), HttpStatusCode.BadRequest);

        Assert.Equal(("payment_method_refused", "generic_decline"), (declined.GetProperty("code").GetString(), declined.GetProperty("decline_code").GetString()));
        Assert.Equal("invalid_request", badIban.GetProperty("code").GetString());
        var listed = (await silo.GetAsync(client, "/api/v1/billing/payment-methods")).GetProperty("payment_methods");
        Assert.Equal([("card", "visa", "4242", true), ("sepa_debit", null, "3201", false)],
            listed.EnumerateArray().Select(m => (m.GetProperty("type").GetString(), m.GetProperty("brand").GetString(), m.GetProperty("last4").GetString(), m.GetProperty("is_default").GetBoolean())));
        Assert.DoesNotContain("4242424242424242", listed.GetRawText(), StringComparison.Ordinal);

        var sepaId = sepa.GetProperty("id").GetGuid();
        var swapped = (await CatalogSilo.ReadAsync(await client.PostAsync(new Uri($"/api/v1/billing/payment-methods/{sepaId}/default", UriKind.Relative), null), HttpStatusCode.OK)).GetProperty("payment_methods");
        Assert.Equal([false, true], swapped.EnumerateArray().Select(m => m.GetProperty("is_default").GetBoolean()));
        await CatalogSilo.ReadAsync(await client.DeleteAsync(new Uri($"/api/v1/billing/payment-methods/{visa.GetProperty("id").GetGuid()}", UriKind.Relative)), HttpStatusCode.NoContent);
        Assert.Single((await silo.GetAsync(client, "/api/v1/billing/payment-methods")).GetProperty("payment_methods").EnumerateArray());
        await CatalogSilo.ReadAsync(await client.DeleteAsync(new Uri($"/api/v1/billing/payment-methods/{visa.GetProperty("id").GetGuid()}", UriKind.Relative)), HttpStatusCode.NotFound);
    }
}
