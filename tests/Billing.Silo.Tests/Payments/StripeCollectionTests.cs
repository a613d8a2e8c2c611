using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Silo.Payments;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using static Billing.Silo.Tests.Payments.CollectionScenario;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// Invoice collection at Stripe over HTTP (the local stand-in): the saved card is charged
/// off-session under a key derived from the invoice and the attempt, and an answer lost after
/// Stripe took the money (the silo died before recording it) is reconciled once, by the webhook
/// or by the retry after a restart, without a second charge.
/// </summary>
public sealed class StripeCollectionTests
{
    [Fact]
    public async Task AnIssuedInvoiceIsChargedOffSessionToTheSavedStripeCardOnce()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, BeforeMonthEnd, stripe.Settings);

        var (_, key, invoiceId) = await InvoicedAsync(silo, new { payment_method_id = "pm_card_visa" });
        var collection = await AttemptsMadeAsync(silo, invoiceId, 1);

        Assert.Equal("paid", collection.GetProperty("status").GetString());
        Assert.Equal(1, stripe.CustomersCreated);
        var charge = Assert.Single(stripe.Creates);
        Assert.Equal(("4", "eur", "cus_standin_000001", "pm_card_visa", "true", "true"),
            (charge["amount"].ToString(), charge["currency"].ToString(), charge["customer"].ToString(), charge["payment_method"].ToString(), charge["off_session"].ToString(), charge["confirm"].ToString()));
        Assert.Equal($"billing:invoice:{invoiceId}:attempt:1", Assert.Single(stripe.IdempotencyKeys));
        using var client = BillingScenario.Client(silo, key);
        var method = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/payment-methods")).GetProperty("payment_methods").EnumerateArray());
        Assert.Equal(("stripe", "visa", "4242"), (method.GetProperty("provider").GetString(), method.GetProperty("brand").GetString(), method.GetProperty("last4").GetString()));
    }

    [Theory]
    [InlineData("webhook")]
    [InlineData("restart")]
    public async Task AnAnswerLostAfterStripeTookTheMoneyIsReconciledOnceWithoutASecondCharge(string recovery)
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = await TestDatabase.CreateAsync(StorageOptions.Postgres);
        var settings = new Dictionary<string, string>(stripe.Settings) { ["Billing:Payments:Stripe:WebhookSecret"] = StripeWebhookTests.WebhookSecret };
        var silo = CatalogSilo.Start(database, null, BeforeMonthEnd, settings);
        stripe.LoseNextAnswer();
        var (_, _, invoiceId) = await InvoicedAsync(silo, new { payment_method_id = "pm_card_visa" });

        // Stripe created the PaymentIntent; the silo never learnt it: its attempt is pending, without a reference.
        await Eventually.TrueAsync(() => stripe.Created == 1, "the PaymentIntent");
        var lost = await CollectionAsync(silo, invoiceId);
        Assert.Equal(("collecting", 0), (lost.GetProperty("status").GetString(), lost.GetProperty("attempts").GetInt32()));
        await Eventually.TrueAsync(
            async () => (await CollectionAsync(silo, invoiceId)).GetProperty("payments") is { } p && p.GetArrayLength() == 1 && p[0].GetProperty("status").GetString() == "pending",
            "the pending attempt");

        if (recovery == "webhook")
        {
            var intent = new JsonObject
            {
                ["id"] = "pi_standin_000001", ["object"] = "payment_intent", ["amount"] = 4, ["currency"] = "eur", ["status"] = "succeeded",
                ["metadata"] = new JsonObject { [StripePaymentProvider.IdempotencyMetadataKey] = $"billing:invoice:{invoiceId}:attempt:1" },
            };
            var payload = StripeWebhookTests.Event("evt_lost_answer", "payment_intent.succeeded", intent);
            await StripeWebhookTests.DeliverAsync(silo, payload, StripeWebhookTests.Signature(payload, StripeWebhookTests.WebhookSecret, silo.Time.GetUtcNow()));
        }
        else
        {
            // A new silo on the same database: its collection sweep finds the attempt due and asks Stripe again under the same key.
            var now = silo.Time.GetUtcNow();
            await silo.DisposeAsync();
            settings["Billing:Payments:SweepIntervalSeconds"] = "1";
            silo = CatalogSilo.Start(database, null, now, settings);
        }

        await using (silo)
        {
            var paid = await AttemptsMadeAsync(silo, invoiceId, 1);
            Assert.Equal("paid", paid.GetProperty("status").GetString());
            var payment = Assert.Single(paid.GetProperty("payments").EnumerateArray());
            Assert.Equal(("succeeded", "pi_standin_000001"), (payment.GetProperty("status").GetString(), payment.GetProperty("provider_reference").GetString()));
            Assert.Equal(1, stripe.Created);
            Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE invoice_id = '{invoiceId}' AND status = 'paid' AND payment_reference = 'pi_standin_000001'"));
        }
    }
}
