using System.Net;
using System.Net.Http.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using static Billing.Silo.Tests.Payments.CollectionScenario;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// Dunning on Orleans reminders and a manual clock: a card that attaches but declines is retried on
/// the configured days, the customer is suspended after the last retry (consumes 402, nothing
/// deducted), and paying the invoice reinstates it at once.
/// </summary>
public sealed class DunningTests
{
    private static readonly Dictionary<string, string> RetryOnDaysOneAndThree = new()
    {
        ["Billing:Dunning:RetryDays:0"] = "1",
        ["Billing:Dunning:RetryDays:1"] = "3",
    };

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ADecliningCardIsRetriedOnTheDunningDaysThenSuspendsUntilTheInvoiceIsPaid(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, null, BeforeMonthEnd, RetryOnDaysOneAndThree);
        var (customerId, key, invoiceId) = await InvoicedAsync(silo, Card("4000000000000341"));

        var first = await AttemptsMadeAsync(silo, invoiceId, 1);
        var failedAt = first.GetProperty("first_failed_at").GetDateTimeOffset();
        Assert.Equal(("collecting", 0.04m, "EUR", failedAt.AddDays(1)), (first.GetProperty("status").GetString(), first.GetProperty("amount").GetDecimal(), first.GetProperty("currency").GetString(), first.GetProperty("next_attempt_at").GetDateTimeOffset()));
        Assert.InRange(failedAt, AfterClose, AfterClose.AddSeconds(30));
        await ConsumeAsync(silo, key, HttpStatusCode.OK); // one failure does not suspend

        // A day minus a minute: nothing happens; at the day, the first retry.
        silo.Time.Advance(failedAt.AddDays(1).AddMinutes(-1) - silo.Time.GetUtcNow());
        await Task.Delay(200);
        Assert.Equal(1, (await CollectionAsync(silo, invoiceId)).GetProperty("attempts").GetInt32());
        silo.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await AttemptsMadeAsync(silo, invoiceId, 2);
        Assert.Equal(("collecting", failedAt.AddDays(3)), (second.GetProperty("status").GetString(), second.GetProperty("next_attempt_at").GetDateTimeOffset()));

        silo.Time.Advance(failedAt.AddDays(3) - silo.Time.GetUtcNow());
        var third = await AttemptsMadeAsync(silo, invoiceId, 3);
        Assert.Equal("suspended", third.GetProperty("status").GetString());
        Assert.Equal(
            [("failed", "generic_decline", 0.04m), ("failed", "generic_decline", 0.04m), ("failed", "generic_decline", 0.04m)],
            third.GetProperty("payments").EnumerateArray().Select(Attempt));

        var refused = await ConsumeAsync(silo, key, HttpStatusCode.PaymentRequired);
        Assert.Equal("account_suspended", refused.GetProperty("code").GetString());
        using var client = BillingScenario.Client(silo, key);
        var suspended = await silo.GetAsync(client, "/api/v1/billing/subscription");
        Assert.Equal((999_996, true), (suspended.GetProperty("tokens_remaining").GetInt64(), suspended.GetProperty("is_suspended").GetBoolean()));

        // An hour later the customer replaces the card and pays: reinstated at once.
        silo.Time.Advance(TimeSpan.FromHours(1));
        await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", Card("4242424242424242")), HttpStatusCode.Created);
        var paid = await CatalogSilo.ReadAsync(await client.PostAsync(new Uri($"/api/v1/billing/invoices/{invoiceId}/pay", UriKind.Relative), null), HttpStatusCode.OK);
        Assert.Equal(("paid", 4), (paid.GetProperty("status").GetString(), paid.GetProperty("attempts").GetInt32()));
        var last = paid.GetProperty("payments")[3];
        Assert.Equal(("succeeded", "4242"), (last.GetProperty("status").GetString(), last.GetProperty("card_last4").GetString()));
        Assert.Equal(999_995, (await ConsumeAsync(silo, key, HttpStatusCode.OK)).GetProperty("tokens_remaining").GetInt64());
        var invoice = await silo.GetAsync(client, $"/api/v1/billing/invoices/{invoiceId}");
        Assert.Equal("paid", invoice.GetProperty("status").GetString());
        Assert.Equal(0, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM account_suspensions WHERE customer_id = '{customerId}'"));
    }

    [Fact]
    public async Task AnOperatorsPaymentOfTheSuspendingInvoiceReinstatesTheCustomerAndStopsTheCollection()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, BeforeMonthEnd, new Dictionary<string, string> { ["Billing:Dunning:RetryDays:0"] = "1" });
        var (_, key, invoiceId) = await InvoicedAsync(silo, Card("4000000000000341"));
        var first = await AttemptsMadeAsync(silo, invoiceId, 1);
        silo.Time.Advance(first.GetProperty("next_attempt_at").GetDateTimeOffset() - silo.Time.GetUtcNow());
        Assert.Equal("suspended", (await AttemptsMadeAsync(silo, invoiceId, 2)).GetProperty("status").GetString());
        Assert.Equal("account_suspended", (await ConsumeAsync(silo, key, HttpStatusCode.PaymentRequired)).GetProperty("code").GetString());

        await silo.PostAsync($"/api/v1/admin/invoices/{invoiceId}/pay", new { reference = "bank transfer 2026-12-05" }, HttpStatusCode.OK);

        await ConsumeAsync(silo, key, HttpStatusCode.OK);
        var settled = await CollectionAsync(silo, invoiceId);
        Assert.Equal(("settled", 2), (settled.GetProperty("status").GetString(), settled.GetProperty("attempts").GetInt32()));
        Assert.All(settled.GetProperty("payments").EnumerateArray(), p => Assert.Equal("generic_decline", p.GetProperty("decline_code").GetString()));
    }
}
