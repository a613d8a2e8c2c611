using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Silo.Payments;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;
using Billing.Testing;
using static Billing.Silo.Tests.Payments.RenewalScenario;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// A recurring plan renewed at Stripe over HTTP (the local stand-in): the saved card is charged
/// off-session under the renewal's key, and an answer lost after Stripe took the money is settled
/// once by the signed webhook, without a second charge.
/// </summary>
public sealed class StripeRenewalTests
{
    [Fact]
    public async Task ARenewalWhoseAnswerWasLostIsSettledOnceByTheWebhook()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        var settings = new Dictionary<string, string>(stripe.Settings) { ["Billing:Payments:Stripe:WebhookSecret"] = StripeWebhookTests.WebhookSecret };
        await using var silo = CatalogSilo.Start(database, null, Bought, settings);
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Monthly", price = 15.00m, currency = "EUR", tokens_included = 1_000, duration_days = 30, is_recurring = true });
        var (customerId, _, _, key) = await silo.IssueKeyAsync();
        using var client = MeteringApiTests.Client(silo, key);
        await CatalogSilo.ReadAsync(await client.PostAsJsonAsync("/api/v1/billing/payment-methods", new { payment_method_id = "pm_card_visa" }), HttpStatusCode.Created);
        await CatalogSilo.ReadAsync(
            await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = plan.GetProperty("id").GetString(), payment_method_id = "pm_card_visa" }), HttpStatusCode.OK);

        stripe.LoseNextAnswer();
        silo.Time.Advance(FirstEnd - silo.Time.GetUtcNow());
        var renewalKey = $"billing:renewal:{customerId}.{FirstEnd.ToUnixTimeMilliseconds()}:attempt:1";
        // The reminder's tick: Orleans delays an overdue one by a millisecond of the manual clock.
        await Eventually.TrueAsync(
            () =>
            {
                silo.Time.Advance(TimeSpan.FromMilliseconds(1));
                return stripe.Created == 2;
            },
            "the renewal's PaymentIntent",
            timeoutMs: 20_000);
        await Eventually.TrueAsync(
            async () => (await RenewalPaymentsAsync(silo, key)) is [{ } pending] && pending.GetProperty("status").GetString() == "pending",
            "the pending renewal payment");

        var intent = new JsonObject
        {
            ["id"] = "pi_standin_000002", ["object"] = "payment_intent", ["amount"] = 1500, ["currency"] = "eur", ["status"] = "succeeded",
            ["metadata"] = new JsonObject { [StripePaymentProvider.IdempotencyMetadataKey] = renewalKey },
        };
        var payload = StripeWebhookTests.Event("evt_lost_renewal", "payment_intent.succeeded", intent);
        await StripeWebhookTests.DeliverAsync(silo, payload, StripeWebhookTests.Signature(payload, StripeWebhookTests.WebhookSecret, silo.Time.GetUtcNow()));
        var renewed = await AdvanceUntilAsync(silo, customerId, silo.Time.GetUtcNow(), r => r.GetProperty("renews_at").GetDateTimeOffset() == FirstEnd.AddDays(30), "the settled renewal");

        Assert.Equal(("scheduled", 0), (renewed.GetProperty("status").GetString(), renewed.GetProperty("attempts").GetInt32()));
        Assert.Equal(2, stripe.Created);
        Assert.Equal(renewalKey, stripe.IdempotencyKeys.Last());
        var payment = Assert.Single(await RenewalPaymentsAsync(silo, key));
        Assert.Equal(("succeeded", "pi_standin_000002", 15.00m), (payment.GetProperty("status").GetString(), payment.GetProperty("provider_reference").GetString(), payment.GetProperty("amount").GetDecimal()));
        var subscription = await silo.GetAsync(client, "/api/v1/billing/subscription");
        Assert.Equal((2_000, FirstEnd.AddDays(30)), (subscription.GetProperty("tokens_granted").GetInt64(), subscription.GetProperty("end_date").GetDateTimeOffset()));
    }
}
