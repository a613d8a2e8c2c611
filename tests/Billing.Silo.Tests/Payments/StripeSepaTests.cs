using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using static Billing.Silo.Tests.Payments.CollectionScenario;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// SEPA Direct Debit at Stripe over HTTP (the local stand-in): the mandate is set up through a
/// SetupIntent with offline acceptance, the invoice's debit is processing at the bank until Stripe's
/// signed <c>payment_intent.succeeded</c> settles it (or the collection asks Stripe again after
/// <c>ProcessingCheckHours</c>), and an IBAN failing mod 97 never reaches Stripe.
/// </summary>
public sealed class StripeSepaTests
{
    private const string TestIban = "AT61 1904 3002 3457 3201";

    [Theory]
    [InlineData(StorageOptions.Sqlite, "webhook")]
    [InlineData(StorageOptions.Postgres, "webhook")]
    [InlineData(StorageOptions.Sqlite, "check")]
    public async Task ASepaMandateSavedAtStripeIsDebitedAndThePeriodIsPaidOnceWhenTheDebitSettles(string dialect, string settledBy)
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, null, BeforeMonthEnd, stripe.SettingsWith(StripeWebhookTests.WebhookSecret));

        var (_, key, invoiceId) = await InvoicedAsync(silo, new { sepa_debit = new { iban = TestIban, account_holder = "Acme GmbH" } });

        // The mandate: one SetupIntent for the Stripe customer created first, confirmed with offline acceptance.
        var (setupKey, setup) = Assert.Single(stripe.SetupIntents);
        Assert.StartsWith("billing:payment_method:", setupKey, StringComparison.Ordinal);
        Assert.Equal(("cus_standin_000001", "AT611904300234573201", "Acme GmbH", "billing@acme.com"),
            (setup["customer"].ToString(), setup["payment_method_data[sepa_debit][iban]"].ToString(), setup["payment_method_data[billing_details][name]"].ToString(),
                setup["payment_method_data[billing_details][email]"].ToString()));
        using var client = BillingScenario.Client(silo, key);
        var method = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/payment-methods")).GetProperty("payment_methods").EnumerateArray());
        Assert.Equal(("sepa_debit", "stripe", "3201", "mandate_standin_000001", true),
            (method.GetProperty("type").GetString(), method.GetProperty("provider").GetString(), method.GetProperty("last4").GetString(),
                method.GetProperty("mandate_reference").GetString(), method.GetProperty("is_default").GetBoolean()));

        // The debit: off-session on the mandate's method, processing at the bank; nothing is paid yet.
        var processing = await ProcessingAsync(silo, invoiceId);
        var charge = Assert.Single(stripe.Creates);
        Assert.Equal(("4", "eur", "cus_standin_000001", "pm_standin_sepa_000001", "sepa_debit", "true", $"billing:invoice:{invoiceId}:attempt:1"),
            (charge["amount"].ToString(), charge["currency"].ToString(), charge["customer"].ToString(), charge["payment_method"].ToString(),
                charge["allowed_payment_method_types[0]"].ToString(), charge["off_session"].ToString(), charge["metadata[billing_idempotency_key]"].ToString()));
        Assert.Equal(("collecting", 0), (processing.GetProperty("status").GetString(), processing.GetProperty("attempts").GetInt32()));
        Assert.Equal(0, await PaidPeriodsAsync(silo, invoiceId));

        // Days later the bank pays: Stripe's signed event settles it, once however often it is delivered;
        // without the event, the collection asks Stripe where the debit stands a day after it was submitted.
        var intent = stripe.Settle("pi_standin_000001");
        JsonElement paid;
        if (settledBy == "webhook")
        {
            var settled = StripeWebhookTests.Event("evt_sepa_settled", "payment_intent.succeeded", intent);
            var signature = StripeWebhookTests.Signature(settled, StripeWebhookTests.WebhookSecret, silo.Time.GetUtcNow());
            var first = await StripeWebhookTests.DeliverAsync(silo, settled, signature);
            paid = await AttemptsMadeAsync(silo, invoiceId, 1);
            var again = await StripeWebhookTests.DeliverAsync(silo, settled, signature);
            Assert.Equal(("applied", "already_applied"), (first.GetProperty("outcome").GetString(), again.GetProperty("outcome").GetString()));
        }
        else
        {
            silo.Time.Advance(TimeSpan.FromHours(24)); // Billing:Dunning:ProcessingCheckHours
            paid = await AttemptsMadeAsync(silo, invoiceId, 1);
        }

        Assert.Equal("paid", paid.GetProperty("status").GetString());
        var payment = Assert.Single(paid.GetProperty("payments").EnumerateArray());
        Assert.Equal(("succeeded", "pi_standin_000001", 0.04m, "3201"),
            (payment.GetProperty("status").GetString(), payment.GetProperty("provider_reference").GetString(), payment.GetProperty("amount").GetDecimal(),
                payment.GetProperty("card_last4").GetString()));
        Assert.Equal(1, stripe.Created);
        Assert.Equal(1, await PaidPeriodsAsync(silo, invoiceId));
    }

    [Fact]
    public async Task AnIbanFailingMod97IsRefusedWith400BeforeStripeIsAsked()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, BeforeMonthEnd, stripe.Settings);
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        using var client = BillingScenario.Client(silo, key);

        // DE89 3704 0044 0532 0130 00 with its last digit mistyped.
        using var response = await client.PostAsJsonAsync("/api/v1/billing/payment-methods", new { sepa_debit = new { iban = "DE89 3704 0044 0532 0130 01", account_holder = "Acme GmbH" } });
        var refused = await CatalogSilo.ReadAsync(response, HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request", refused.GetProperty("code").GetString());
        Assert.Equal("IBAN check digits do not match: a character is mistyped or two are swapped",
            refused.GetProperty("errors").GetProperty("sepa_debit.iban")[0].GetString());
        Assert.Equal((0, 0), (stripe.CustomersCreated, stripe.SetupIntents.Count));
        Assert.Empty((await silo.GetAsync(client, "/api/v1/billing/payment-methods")).GetProperty("payment_methods").EnumerateArray());
    }

    // The first attempt's debit, submitted and answered processing: its payment pending with Stripe's reference.
    private static async Task<JsonElement> ProcessingAsync(CatalogSilo silo, string invoiceId)
    {
        JsonElement collection = default;
        await Eventually.TrueAsync(
            async () =>
            {
                collection = await CollectionAsync(silo, invoiceId);
                // And the grain's reminder holds the check a day later: the test must not move the clock before.
                return collection.GetProperty("payments") is { } p && p.GetArrayLength() == 1
                    && p[0].GetProperty("status").GetString() == "pending" && p[0].GetProperty("provider_reference").GetString() == "pi_standin_000001"
                    && await ReminderDueAsync(silo, invoiceId) is { } due && due >= silo.Time.GetUtcNow().AddHours(23);
            },
            $"invoice {invoiceId}: the processing debit",
            timeoutMs: 20_000);
        return collection;
    }

    private static Task<long> PaidPeriodsAsync(CatalogSilo silo, string invoiceId) =>
        BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE invoice_id = '{invoiceId}' AND status = 'paid' AND payment_reference = 'pi_standin_000001'");
}
