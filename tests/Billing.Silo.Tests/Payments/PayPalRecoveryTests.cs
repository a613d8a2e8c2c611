using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Billing.Domain;
using Billing.Silo.Payments;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Payments;

/// <summary>PayPal unreachable, answers lost, a crash after the capture, tokens, and configuration: nothing is paid or granted twice.</summary>
public sealed class PayPalRecoveryTests
{
    public static TheoryData<string> Dialects => PayPalPurchaseTests.Dialects;

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task PayPalDownIs502AndTheRetriesLaterFinishThePurchaseOnce(string dialect)
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, null, PayPalPurchaseTests.Now, paypal.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        using var client = MeteringApiTests.Client(silo, key);

        paypal.Down = true;
        var outage = await PayPalPurchaseTests.BuyAsync(silo, key, planId, HttpStatusCode.BadGateway, "order-9");
        var meanwhile = await silo.GetAsync(client, "/api/v1/billing/payments");
        paypal.Down = false;
        var retried = (await PayPalPurchaseTests.BuyAsync(silo, key, planId, HttpStatusCode.Accepted, "order-9")).GetProperty("payment");
        var orderId = retried.GetProperty("provider_reference").GetString()!;
        paypal.Approve(orderId);
        paypal.Down = true;
        var returnOutage = await PayPalPurchaseTests.BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}", HttpStatusCode.BadGateway);
        paypal.Down = false;
        var returned = await PayPalPurchaseTests.BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}", HttpStatusCode.OK);

        Assert.Equal(("payment_provider_unavailable", "payment_provider_unavailable"), (outage.GetProperty("code").GetString(), returnOutage.GetProperty("code").GetString()));
        Assert.Equal("pending", Assert.Single(meanwhile.GetProperty("payments").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(meanwhile.GetProperty("payments")[0].GetProperty("id").GetGuid(), retried.GetProperty("id").GetGuid());
        Assert.Equal((1, 1), (paypal.OrdersCreated, paypal.Captures));
        Assert.Equal((1_000, "succeeded"), (returned.GetProperty("subscription").GetProperty("tokens_granted").GetInt64(), returned.GetProperty("payment").GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AnOrderWhoseAnswerWasLostIsFoundAgainByItsPayPalRequestIdNotCreatedTwice()
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, PayPalPurchaseTests.Now, paypal.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);

        paypal.LoseNextResponses(1);
        await PayPalPurchaseTests.BuyAsync(silo, key, planId, HttpStatusCode.BadGateway, "order-3");
        var retried = (await PayPalPurchaseTests.BuyAsync(silo, key, planId, HttpStatusCode.Accepted, "order-3")).GetProperty("payment");
        var orderId = retried.GetProperty("provider_reference").GetString()!;
        paypal.Approve(orderId);
        paypal.LoseNextResponses(1);
        await PayPalPurchaseTests.BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}", HttpStatusCode.BadGateway);
        var returned = await PayPalPurchaseTests.BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}", HttpStatusCode.OK);

        Assert.Equal((1, 1), (paypal.OrdersCreated, paypal.Captures));
        Assert.Equal(2, paypal.RequestIds.Count(id => id.StartsWith("create ", StringComparison.Ordinal)));
        Assert.Single(paypal.RequestIds.Where(id => id.StartsWith("create ", StringComparison.Ordinal)).Distinct());
        Assert.Equal(1_000, returned.GetProperty("subscription").GetProperty("tokens_granted").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ACaptureThatWasNotRecordedBeforeACrashIsReadBackOnReturnAndASucceededButUngrantedOneIsSwept(string dialect)
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, null, PayPalPurchaseTests.Now, paypal.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        using var client = MeteringApiTests.Client(silo, key);
        var customerId = (await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("customer_id").GetString()!;
        var orderId = (await PayPalPurchaseTests.BuyAsync(silo, key, planId, HttpStatusCode.Accepted)).GetProperty("payment").GetProperty("provider_reference").GetString()!;
        paypal.Approve(orderId);
        // The silo captured, then died before it recorded PayPal's answer: the answer was lost.
        paypal.LoseNextResponses(1);
        await PayPalPurchaseTests.BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}", HttpStatusCode.BadGateway);

        var confirmed = await CatalogSilo.ReadAsync(
            await client.PostAsync(new Uri($"/api/v1/billing/payments/{paypal.Order(orderId)["purchase_units"]![0]!["custom_id"]}/confirm", UriKind.Relative), null), HttpStatusCode.OK);
        // And a PayPal payment recorded succeeded, whose silo died before the grant.
        var now = silo.Time.GetUtcNow();
        var paid = new StoredPayment(
            Guid.CreateVersion7(now), customerId, StoredPayment.PlanPurchase, planId, new Money(15.00m, Currency.EUR), StoredPaymentStatus.Succeeded, "paypal",
            "5O190127TN0000777", null, null, null, null, "buy-crashed", "hash", now, now, null);
        Assert.True(await silo.Services.GetRequiredService<PaymentStore>().InsertAsync(paid, CancellationToken.None));
        var swept = await silo.Services.GetRequiredService<PaymentGrantSweeper>().SweepAsync(CancellationToken.None);
        var sweptAgain = await silo.Services.GetRequiredService<PaymentGrantSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, paypal.Captures);
        Assert.Equal(("succeeded", 1_000), (confirmed.GetProperty("payment").GetProperty("status").GetString(), confirmed.GetProperty("subscription").GetProperty("tokens_granted").GetInt64()));
        Assert.Equal((1, 0), (swept, sweptAgain));
        Assert.Equal(2_000, (await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("tokens_granted").GetInt64());
    }

    [Fact]
    public async Task OneTokenServesManyCallsUntilItIsAboutToExpireOrPayPalRevokesIt()
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, PayPalPurchaseTests.Now, paypal.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);

        for (var i = 0; i < 3; i++)
        {
            var orderId = (await PayPalPurchaseTests.BuyAsync(silo, key, planId, HttpStatusCode.Accepted)).GetProperty("payment").GetProperty("provider_reference").GetString()!;
            await PayPalPurchaseTests.BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}", HttpStatusCode.Accepted);
        }

        var afterSixCalls = paypal.TokenRequests;
        // 32,400 s tokens are renewed 5 minutes before they expire.
        silo.Time.Advance(TimeSpan.FromSeconds(32_400 - 299));
        await PayPalPurchaseTests.BuyAsync(silo, key, planId, HttpStatusCode.Accepted);
        var nearExpiry = paypal.TokenRequests;
        paypal.RevokeTokens();
        await PayPalPurchaseTests.BuyAsync(silo, key, planId, HttpStatusCode.Accepted);

        Assert.Equal((1, 2, 3), (afterSixCalls, nearExpiry, paypal.TokenRequests));
        Assert.Equal(5, paypal.OrdersCreated);
    }

    [Fact]
    public async Task WithoutPayPalCredentialsAPayPalPurchaseIs400AndTheReturnIs404()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);

        var purchase = await PayPalPurchaseTests.BuyAsync(silo, key, planId, HttpStatusCode.BadRequest);
        var returned = await PayPalPurchaseTests.BrowserAsync(silo, "/api/v1/billing/paypal/return?token=5O190127TN0000001", HttpStatusCode.NotFound);
        var card = await PurchaseApiTests.PurchaseAsync(silo, key, planId, "4242424242424242", HttpStatusCode.OK);

        Assert.Equal(("paypal_not_configured", "paypal_not_configured"), (purchase.GetProperty("code").GetString(), returned.GetProperty("code").GetString()));
        Assert.Equal(("sandbox", 1_000), (card.GetProperty("payment").GetProperty("provider").GetString(), card.GetProperty("subscription").GetProperty("tokens_granted").GetInt64()));
        using var client = MeteringApiTests.Client(silo, key);
        Assert.Single((await silo.GetAsync(client, "/api/v1/billing/payments")).GetProperty("payments").EnumerateArray());
    }

    [Fact]
    public void HalfAPayPalAppOrBadUrlsAreRefusedAtStart()
    {
        var halfApp = new PaymentOptions { PayPal = new PayPalProviderOptions { ClientId = "id-only" } };
        var badUrls = new PaymentOptions { PayPal = new PayPalProviderOptions { ClientId = "id", ClientSecret = "secret", ApiBase = "ftp://x", ReturnUrl = "/relative", TimeoutSeconds = 0, MaxNetworkRetries = 6 } };

        Assert.Contains("ClientSecret", Assert.Single(halfApp.Validate()), StringComparison.Ordinal);
        var problems = badUrls.Validate().ToList();
        Assert.Equal(5, problems.Count);
        Assert.Equal(new[] { "ApiBase", "ReturnUrl", "CancelUrl", "TimeoutSeconds", "MaxNetworkRetries" }, problems.Select(p => p.Split(':')[3].Split(' ')[0]));
        Assert.Empty(new PaymentOptions().Validate());
    }

    [Theory]
    [InlineData("15", "EUR", "15.00")]
    [InlineData("0.1", "EUR", "0.10")]
    [InlineData("1500", "JPY", "1500")]
    public void AnAmountIsSentWithExactlyItsCurrencysMinorDigits(string amount, string currency, string expected) =>
        Assert.Equal(expected, PayPalClient.ValueOf(new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), Currency.Parse(currency))));
}
