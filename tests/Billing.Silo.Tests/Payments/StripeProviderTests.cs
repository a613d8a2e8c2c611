using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Payments;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;
using Billing.Testing;

namespace Billing.Silo.Tests.Payments;

/// <summary>The Stripe provider over HTTP (Stripe.net) against a local stand-in of Stripe's PaymentIntents API.</summary>
public sealed class StripeProviderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task APaymentMethodIsChargedOnceUnderOurIdempotencyKeyAndTheRetryGrantsNothingMore()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Now, stripe.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);

        var bought = await PurchaseAsync(silo, key, planId, "pm_card_visa", HttpStatusCode.OK, "order-1");
        var retry = await PurchaseAsync(silo, key, planId, "pm_card_visa", HttpStatusCode.OK, "order-1");

        var payment = bought.GetProperty("payment");
        Assert.Equal(1, stripe.Created);
        Assert.Equal(("succeeded", "stripe", "pi_standin_000001"), (payment.GetProperty("status").GetString(), payment.GetProperty("provider").GetString(), payment.GetProperty("provider_reference").GetString()));
        Assert.Equal($"billing:plan_purchase:{payment.GetProperty("id").GetGuid():N}:attempt:1", Assert.Single(stripe.IdempotencyKeys));
        var form = Assert.Single(stripe.Creates);
        Assert.Equal(("1500", "eur", "true"), (form["amount"].ToString(), form["currency"].ToString(), form["confirm"].ToString()));
        Assert.Equal(payment.GetProperty("id").GetGuid(), retry.GetProperty("payment").GetProperty("id").GetGuid());
        Assert.Equal(1_000, retry.GetProperty("subscription").GetProperty("tokens_granted").GetInt64());
    }

    [Theory]
    [InlineData("pm_card_chargeDeclined", "generic_decline")]
    [InlineData("pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds")]
    public async Task StripesCardErrorIs402WithItsDeclineCodeAndGrantsNothing(string paymentMethod, string declineCode)
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Now, stripe.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);

        var problem = await PurchaseAsync(silo, key, planId, paymentMethod, HttpStatusCode.PaymentRequired);

        Assert.Equal(("payment_failed", "card_declined", declineCode), (problem.GetProperty("code").GetString(), problem.GetProperty("failure_code").GetString(), problem.GetProperty("decline_code").GetString()));
        var listed = await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/payments");
        Assert.Equal(("failed", "pi_standin_000001"), (listed.GetProperty("payments")[0].GetProperty("status").GetString(), listed.GetProperty("payments")[0].GetProperty("provider_reference").GetString()));
        Assert.Equal(0, (await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/subscription")).GetProperty("tokens_granted").GetInt64());
    }

    [Fact]
    public async Task AfterStripeAuthenticationTheConfirmationReadsThePaymentIntentAndGrants()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Now, stripe.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        using var client = MeteringApiTests.Client(silo, key);

        var pending = await PurchaseAsync(silo, key, planId, "pm_card_authenticationRequired", HttpStatusCode.Accepted);
        var confirmUrl = new Uri(pending.GetProperty("payment").GetProperty("next_action").GetProperty("confirm_url").GetString()!, UriKind.Relative);
        var stillWaiting = await CatalogSilo.ReadAsync(await client.PostAsync(confirmUrl, null), HttpStatusCode.Accepted);
        stripe.CompleteAuthentication(pending.GetProperty("payment").GetProperty("provider_reference").GetString()!);
        var confirmed = await CatalogSilo.ReadAsync(await client.PostAsync(confirmUrl, null), HttpStatusCode.OK);

        Assert.Equal("requires_action", stillWaiting.GetProperty("payment").GetProperty("status").GetString());
        Assert.Equal("succeeded", confirmed.GetProperty("payment").GetProperty("status").GetString());
        Assert.Equal(1_000, confirmed.GetProperty("subscription").GetProperty("tokens_granted").GetInt64());
        Assert.Equal(1, stripe.Created);
    }

    [Fact]
    public async Task AStripeOutageIs502AndTheRetryWithTheSameKeyChargesOnce()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Now, stripe.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        stripe.FailNext(1);

        var outage = await PurchaseAsync(silo, key, planId, "pm_card_visa", HttpStatusCode.BadGateway, "order-7");
        var pendingMeanwhile = await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/payments");
        var retry = await PurchaseAsync(silo, key, planId, "pm_card_visa", HttpStatusCode.OK, "order-7");

        Assert.Equal("payment_provider_unavailable", outage.GetProperty("code").GetString());
        Assert.Equal("pending", pendingMeanwhile.GetProperty("payments")[0].GetProperty("status").GetString());
        Assert.Equal(1, stripe.Created);
        Assert.Equal(2, stripe.IdempotencyKeys.Count);
        Assert.Single(stripe.IdempotencyKeys.Distinct());
        Assert.Equal(1_000, retry.GetProperty("subscription").GetProperty("tokens_granted").GetInt64());
    }

    [Fact]
    public async Task CardNumbersAreRefusedWhenStripeIsTheProvider()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Now, stripe.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);

        var problem = await PurchaseApiTests.PurchaseAsync(silo, key, planId, "4242424242424242", HttpStatusCode.BadRequest);

        Assert.Equal("payment_method_not_supported", problem.GetProperty("code").GetString());
        Assert.Equal(0, stripe.Created);
    }

    [Fact]
    public void StripeWithoutASecretKeyOrWithABadApiBaseIsRefusedAtStart()
    {
        var options = new PaymentOptions { Provider = "stripe", Stripe = new StripeProviderOptions { SecretKey = "pk_test_x", ApiBase = "ftp://x" } };

        var problems = options.Validate().ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains("SecretKey", problems[0], StringComparison.Ordinal);
        Assert.Contains("ApiBase", problems[1], StringComparison.Ordinal);
        Assert.Single(new PaymentOptions { Provider = "paypal" }.Validate());
    }

    private static async Task<JsonElement> PurchaseAsync(CatalogSilo silo, string key, string planId, string paymentMethod, HttpStatusCode expected, string? idempotencyKey = null)
    {
        using var client = MeteringApiTests.Client(silo, key);
        if (idempotencyKey is not null)
        {
            client.DefaultRequestHeaders.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = planId, payment_method_id = paymentMethod });
        return await CatalogSilo.ReadAsync(response, expected);
    }
}
