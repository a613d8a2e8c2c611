using System.Globalization;
using System.Net;
using Billing.Domain;
using Billing.Silo.Payments;
using Billing.Silo.Tests.Catalog;
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
        await using var shop = await PayPalShop.StartAsync(dialect);

        shop.PayPal.Down = true;
        var outage = await shop.BuyAsync(HttpStatusCode.BadGateway, "order-9");
        var meanwhile = await shop.GetAsync("/api/v1/billing/payments");
        shop.PayPal.Down = false;
        var retried = (await shop.BuyAsync(HttpStatusCode.Accepted, "order-9")).GetProperty("payment");
        var orderId = retried.GetProperty("provider_reference").GetString()!;
        shop.PayPal.Approve(orderId);
        shop.PayPal.Down = true;
        var returnOutage = await shop.BrowserAsync("return", orderId, HttpStatusCode.BadGateway);
        shop.PayPal.Down = false;
        var returned = await shop.BrowserAsync("return", orderId, HttpStatusCode.OK);

        Assert.Equal(("payment_provider_unavailable", "payment_provider_unavailable"), (outage.GetProperty("code").GetString(), returnOutage.GetProperty("code").GetString()));
        Assert.Equal("pending", Assert.Single(meanwhile.GetProperty("payments").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(meanwhile.GetProperty("payments")[0].GetProperty("id").GetGuid(), retried.GetProperty("id").GetGuid());
        Assert.Equal((1, 1), (shop.PayPal.OrdersCreated, shop.PayPal.Captures));
        Assert.Equal((1_000, "succeeded"), (returned.GetProperty("subscription").GetProperty("tokens_granted").GetInt64(), returned.GetProperty("payment").GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AnOrderWhoseAnswerWasLostIsFoundAgainByItsPayPalRequestIdNotCreatedTwice()
    {
        await using var shop = await PayPalShop.StartAsync();

        shop.PayPal.LoseNextResponses(1);
        await shop.BuyAsync(HttpStatusCode.BadGateway, "order-3");
        var orderId = (await shop.BuyAsync(HttpStatusCode.Accepted, "order-3")).GetProperty("payment").GetProperty("provider_reference").GetString()!;
        shop.PayPal.Approve(orderId);
        shop.PayPal.LoseNextResponses(1);
        await shop.BrowserAsync("return", orderId, HttpStatusCode.BadGateway);
        var returned = await shop.BrowserAsync("return", orderId, HttpStatusCode.OK);

        Assert.Equal((1, 1), (shop.PayPal.OrdersCreated, shop.PayPal.Captures));
        var creates = shop.PayPal.RequestIds.Where(id => id.StartsWith("create ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, creates.Count);
        Assert.Single(creates.Distinct());
        Assert.Equal(1_000, returned.GetProperty("subscription").GetProperty("tokens_granted").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ACaptureNotRecordedBeforeACrashIsReadBackAndASucceededButUngrantedOneIsSwept(string dialect)
    {
        await using var shop = await PayPalShop.StartAsync(dialect);
        var customerId = (await shop.GetAsync("/api/v1/billing/subscription")).GetProperty("customer_id").GetString()!;
        var orderId = await shop.OrderAsync();
        shop.PayPal.Approve(orderId);
        // The silo captured, then died before it recorded PayPal's answer: the answer was lost.
        shop.PayPal.LoseNextResponses(1);
        await shop.BrowserAsync("return", orderId, HttpStatusCode.BadGateway);

        var confirmed = await shop.ConfirmAsync((string)shop.PayPal.Order(orderId)["purchase_units"]![0]!["custom_id"]!, HttpStatusCode.OK);
        // And a PayPal payment recorded succeeded, whose silo died before the grant.
        var now = shop.Silo.Time.GetUtcNow();
        var paid = new StoredPayment(
            Guid.CreateVersion7(now), customerId, StoredPayment.PlanPurchase, shop.PlanId, new Money(15.00m, Currency.EUR), StoredPaymentStatus.Succeeded, "paypal",
            "5O190127TN0000777", null, null, null, null, "buy-crashed", "hash", now, now, null);
        Assert.True(await shop.Silo.Services.GetRequiredService<PaymentStore>().InsertAsync(paid, CancellationToken.None));
        var sweeper = shop.Silo.Services.GetRequiredService<PaymentGrantSweeper>();
        var (swept, sweptAgain) = (await sweeper.SweepAsync(CancellationToken.None), await sweeper.SweepAsync(CancellationToken.None));

        Assert.Equal(1, shop.PayPal.Captures);
        Assert.Equal(("succeeded", 1_000), (confirmed.GetProperty("payment").GetProperty("status").GetString(), confirmed.GetProperty("subscription").GetProperty("tokens_granted").GetInt64()));
        Assert.Equal((1, 0), (swept, sweptAgain));
        Assert.Equal(2_000, await shop.TokensGrantedAsync());
    }

    [Fact]
    public async Task OneTokenServesManyCallsUntilItIsAboutToExpireOrPayPalRevokesIt()
    {
        await using var shop = await PayPalShop.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            await shop.BrowserAsync("return", await shop.OrderAsync(), HttpStatusCode.Accepted);
        }

        var afterSixCalls = shop.PayPal.TokenRequests;
        // 32,400 s tokens are renewed 5 minutes before they expire.
        shop.Silo.Time.Advance(TimeSpan.FromSeconds(32_400 - 299));
        await shop.OrderAsync();
        var nearExpiry = shop.PayPal.TokenRequests;
        shop.PayPal.RevokeTokens();
        await shop.OrderAsync();

        Assert.Equal((1, 2, 3), (afterSixCalls, nearExpiry, shop.PayPal.TokenRequests));
        Assert.Equal(5, shop.PayPal.OrdersCreated);
    }

    [Fact]
    public async Task WithoutPayPalCredentialsAPayPalPurchaseIs400AndTheReturnIs404()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        using var client = Metering.MeteringApiTests.Client(silo, key);
        using var browser = silo.CreateClient();

        using var response = await client.PostAsync(new Uri("/api/v1/billing/purchase", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(new { plan_id = planId, payment_method = "paypal" }));
        var purchase = await CatalogSilo.ReadAsync(response, HttpStatusCode.BadRequest);
        var returned = await silo.GetAsync(browser, "/api/v1/billing/paypal/return?token=5O190127TN0000001", HttpStatusCode.NotFound);
        var card = await PurchaseApiTests.PurchaseAsync(silo, key, planId, "4242424242424242", HttpStatusCode.OK);

        Assert.Equal(("paypal_not_configured", "paypal_not_configured"), (purchase.GetProperty("code").GetString(), returned.GetProperty("code").GetString()));
        Assert.Equal(("sandbox", 1_000), (card.GetProperty("payment").GetProperty("provider").GetString(), card.GetProperty("subscription").GetProperty("tokens_granted").GetInt64()));
        Assert.Single((await silo.GetAsync(client, "/api/v1/billing/payments")).GetProperty("payments").EnumerateArray());
    }

    [Fact]
    public void HalfAPayPalAppOrBadUrlsAreRefusedAtStart()
    {
        var halfApp = new PaymentOptions { PayPal = new PayPalProviderOptions { ClientId = "id-only" } };
        var badUrls = new PaymentOptions { PayPal = new PayPalProviderOptions { ClientId = "id", ClientSecret = "secret", ApiBase = "ftp://x", ReturnUrl = "/relative", TimeoutSeconds = 0, MaxNetworkRetries = 6 } };

        Assert.Contains("ClientSecret", Assert.Single(halfApp.Validate()), StringComparison.Ordinal);
        Assert.Equal(new[] { "ApiBase", "ReturnUrl", "CancelUrl", "TimeoutSeconds", "MaxNetworkRetries" }, badUrls.Validate().Select(p => p.Split(':')[3].Split(' ')[0]));
        Assert.Empty(new PaymentOptions().Validate());
    }

    [Theory]
    [InlineData("15", "EUR", "15.00")]
    [InlineData("0.1", "EUR", "0.10")]
    [InlineData("1500", "JPY", "1500")]
    public void AnAmountIsSentWithExactlyItsCurrencysMinorDigits(string amount, string currency, string expected) =>
        Assert.Equal(expected, PayPalClient.ValueOf(new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), Currency.Parse(currency))));
}
