using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Domain;
using Billing.Silo.Payments;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Payments;

/// <summary>Stripe's webhook: signatures (good, bad, stale, replayed), once-only events, and reconciling a purchase a crash left pending.</summary>
public sealed class StripeWebhookTests
{
    internal const string WebhookSecret = "whsec_test_0123456789abcdefghijklmnop";
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task ASucceededEventGrantsAPurchaseACrashLeftPendingOnceAndTheClientsRetryChargesNothing(string dialect)
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = Start(database, stripe);
        var (planId, key, payment) = await PendingPurchaseAsync(silo, "order-9");
        var succeeded = Event("evt_1", "payment_intent.succeeded", Intent("pi_crashed", "succeeded", payment.PaymentId));

        var first = await DeliverAsync(silo, succeeded, Signature(succeeded, WebhookSecret, Now));
        var again = await DeliverAsync(silo, succeeded, Signature(succeeded, WebhookSecret, Now));
        var retry = await RetryPurchaseAsync(silo, key, planId, "order-9");

        Assert.Equal(("applied", "already_applied"), (first.GetProperty("outcome").GetString(), again.GetProperty("outcome").GetString()));
        var stored = await silo.Services.GetRequiredService<PaymentStore>().FindAsync(payment.PaymentId, CancellationToken.None);
        Assert.Equal((StoredPaymentStatus.Succeeded, "pi_crashed"), (stored!.Status, stored.ProviderRef));
        Assert.NotNull(stored.GrantedAt);
        Assert.Equal(payment.PaymentId, retry.GetProperty("payment").GetProperty("id").GetGuid());
        Assert.Equal(1_000, retry.GetProperty("subscription").GetProperty("tokens_granted").GetInt64());
        Assert.Equal(0, stripe.Created);
    }

    [Fact]
    public async Task AFailedEventDeclinesThePendingPaymentWithStripesCodes()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, stripe);
        var (_, key, payment) = await PendingPurchaseAsync(silo, "order-3");
        var intent = Intent("pi_declined", "requires_payment_method", payment.PaymentId);
        intent["last_payment_error"] = new JsonObject { ["type"] = "card_error", ["code"] = "card_declined", ["decline_code"] = "insufficient_funds" };
        var failed = Event("evt_2", "payment_intent.payment_failed", intent);

        await DeliverAsync(silo, failed, Signature(failed, WebhookSecret, Now));

        var stored = await silo.Services.GetRequiredService<PaymentStore>().FindAsync(payment.PaymentId, CancellationToken.None);
        Assert.Equal((StoredPaymentStatus.Failed, "card_declined", "insufficient_funds"), (stored!.Status, stored.FailureCode, stored.DeclineCode));
        Assert.Equal(0, (await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/subscription")).GetProperty("tokens_granted").GetInt64());
    }

    [Fact]
    public async Task AWrongMissingOrStaleSignatureIs400AndChangesNothing()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, stripe);
        var (_, _, payment) = await PendingPurchaseAsync(silo, "order-4");
        var succeeded = Event("evt_3", "payment_intent.succeeded", Intent("pi_x", "succeeded", payment.PaymentId));

        var wrong = await DeliverAsync(silo, succeeded, Signature(succeeded, "whsec_someone_else", Now), HttpStatusCode.BadRequest);
        var missing = await DeliverAsync(silo, succeeded, null, HttpStatusCode.BadRequest);
        var stale = await DeliverAsync(silo, succeeded, Signature(succeeded, WebhookSecret, Now.AddSeconds(-301)), HttpStatusCode.BadRequest);
        var tampered = await DeliverAsync(silo, succeeded.Replace("pi_x", "pi_y", StringComparison.Ordinal), Signature(succeeded, WebhookSecret, Now), HttpStatusCode.BadRequest);

        Assert.All(new[] { wrong, missing, stale, tampered }, p => Assert.Equal("invalid_signature", p.GetProperty("code").GetString()));
        var stored = await silo.Services.GetRequiredService<PaymentStore>().FindAsync(payment.PaymentId, CancellationToken.None);
        Assert.Equal(StoredPaymentStatus.Pending, stored!.Status);
    }

    [Fact]
    public async Task AnUnknownEventTypeIsAcknowledgedAndIgnoredAndWithoutASecretTheEndpointIsNotThere()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Start(database, stripe);
        var created = Event("evt_4", "customer.created", new JsonObject { ["id"] = "cus_1", ["object"] = "customer" });
        await using var bare = TestDatabase.CreateSqlite();
        await using var unconfigured = CatalogSilo.Start(bare, null, Now, stripe.Settings);

        var ignored = await DeliverAsync(silo, created, Signature(created, WebhookSecret, Now));
        var absent = await DeliverAsync(unconfigured, created, Signature(created, WebhookSecret, Now), HttpStatusCode.NotFound);

        Assert.Equal("ignored", ignored.GetProperty("outcome").GetString());
        Assert.Equal("webhook_not_configured", absent.GetProperty("code").GetString());
    }

    private static CatalogSilo Start(TestDatabase database, StripeStandIn stripe) =>
        CatalogSilo.Start(database, null, Now, new Dictionary<string, string>(stripe.Settings) { ["Billing:Payments:Stripe:WebhookSecret"] = WebhookSecret });

    // A purchase whose silo died after asking Stripe and before writing the answer: the row as it was written, pending.
    private static async Task<(string PlanId, string Key, StoredPayment Payment)> PendingPurchaseAsync(CatalogSilo silo, string idempotencyKey)
    {
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        var customerId = (await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/subscription")).GetProperty("customer_id").GetString()!;
        var payment = new StoredPayment(
            Guid.CreateVersion7(Now), customerId, StoredPayment.PlanPurchase, planId, new Money(15.00m, Currency.EUR), StoredPaymentStatus.Pending, "stripe",
            null, null, null, null, null, idempotencyKey, Api.Payments.PurchaseRules.Hash(planId, new ProviderPaymentMethod("pm_card_visa")), Now, Now, null);
        Assert.True(await silo.Services.GetRequiredService<PaymentStore>().InsertAsync(payment, CancellationToken.None));
        return (planId, key, payment);
    }

    private static async Task<JsonElement> RetryPurchaseAsync(CatalogSilo silo, string key, string planId, string idempotencyKey)
    {
        using var client = MeteringApiTests.Client(silo, key);
        client.DefaultRequestHeaders.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.PostAsync(new Uri("/api/v1/billing/purchase", UriKind.Relative),
            new StringContent($$"""{"plan_id":"{{planId}}","payment_method_id":"pm_card_visa"}""", Encoding.UTF8, "application/json"));
        return await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);
    }

    private static JsonObject Intent(string id, string status, Guid paymentId) => new()
    {
        ["id"] = id, ["object"] = "payment_intent", ["amount"] = 1500, ["currency"] = "eur", ["status"] = status,
        ["metadata"] = new JsonObject { [StripePaymentProvider.IdempotencyMetadataKey] = $"billing:plan_purchase:{paymentId:N}:attempt:1" },
    };

    internal static string Event(string id, string type, JsonObject data) => new JsonObject
    {
        ["id"] = id, ["object"] = "event", ["api_version"] = "2026-10-28.endive", ["created"] = Now.ToUnixTimeSeconds(), ["livemode"] = false,
        ["type"] = type, ["data"] = new JsonObject { ["object"] = data },
    }.ToJsonString();

    // Stripe's scheme: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under the endpoint's secret>.
    internal static string Signature(string payload, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    internal static async Task<JsonElement> DeliverAsync(CatalogSilo silo, string payload, string? signature, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = silo.CreateClient();
        return await DeliverAsync(client, payload, signature, expected);
    }

    /// <summary>Posts the event to the silo <paramref name="client"/> talks to (in process, or a silo process).</summary>
    internal static async Task<JsonElement> DeliverAsync(HttpClient client, string payload, string? signature, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add("Stripe-Signature", signature);
        }

        using var response = await client.SendAsync(request);
        return await CatalogSilo.ReadAsync(response, expected);
    }
}
