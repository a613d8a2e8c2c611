using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;
using Billing.Testing;

namespace Billing.Silo.Tests.Payments;

/// <summary>Buying a plan with PayPal (Orders v2 over REST) against a local stand-in of PayPal's API, through HTTP.</summary>
public sealed class PayPalPurchaseTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    internal static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AnApprovedOrderIsCapturedOnTheBuyersReturnAndGrantsThePlanOnce(string dialect)
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, null, Now, paypal.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);

        var pending = (await BuyAsync(silo, key, planId, HttpStatusCode.Accepted)).GetProperty("payment");
        var orderId = pending.GetProperty("provider_reference").GetString()!;
        paypal.Approve(orderId);
        var returned = await BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}&PayerID=PAYERSTANDIN1", HttpStatusCode.OK);
        var returnedAgain = await BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}&PayerID=PAYERSTANDIN1", HttpStatusCode.OK);
        using var client = MeteringApiTests.Client(silo, key);
        var confirmed = await CatalogSilo.ReadAsync(await client.PostAsync(new Uri($"/api/v1/billing/payments/{pending.GetProperty("id")}/confirm", UriKind.Relative), null), HttpStatusCode.OK);

        var paymentId = pending.GetProperty("id").GetGuid();
        Assert.Equal(("requires_action", "paypal", 15.00m, "EUR"), (pending.GetProperty("status").GetString(), pending.GetProperty("provider").GetString(), pending.GetProperty("amount").GetDecimal(), pending.GetProperty("currency").GetString()));
        Assert.Equal(("redirect_to_url", $"https://www.sandbox.paypal.com/checkoutnow?token={orderId}"), (pending.GetProperty("next_action").GetProperty("type").GetString(), pending.GetProperty("next_action").GetProperty("url").GetString()));
        var order = paypal.Order(orderId);
        Assert.Equal(("CAPTURE", "15.00", "EUR", paymentId.ToString("D")), ((string?)order["intent"], (string?)order["purchase_units"]![0]!["amount"]!["value"], (string?)order["purchase_units"]![0]!["amount"]!["currency_code"], (string?)order["purchase_units"]![0]!["custom_id"]));
        Assert.Equal((PayPalStandIn.ReturnUrl, PayPalStandIn.CancelUrl), ((string?)order["payment_source"]!["paypal"]!["experience_context"]!["return_url"], (string?)order["payment_source"]!["paypal"]!["experience_context"]!["cancel_url"]));
        Assert.Equal(new[] { $"create billing:plan_purchase:{paymentId:N}:attempt:1", $"capture billing:plan_purchase:{paymentId:N}:attempt:1:capture" }, paypal.RequestIds);
        Assert.Equal((1, 1, 1), (paypal.OrdersCreated, paypal.Captures, paypal.TokenRequests));
        Assert.Equal("15.00", (string?)paypal.Order(orderId)["purchase_units"]![0]!["payments"]!["captures"]![0]!["amount"]!["value"]);
        foreach (var answer in new[] { returned, returnedAgain, confirmed })
        {
            Assert.Equal(("succeeded", paymentId), (answer.GetProperty("payment").GetProperty("status").GetString(), answer.GetProperty("payment").GetProperty("id").GetGuid()));
            Assert.Equal((1_000, 1_000), (answer.GetProperty("subscription").GetProperty("tokens_granted").GetInt64(), answer.GetProperty("subscription").GetProperty("tokens_remaining").GetInt64()));
        }

        var listed = await silo.GetAsync(client, "/api/v1/billing/payments");
        Assert.Equal(JsonValueKind.Null, Assert.Single(listed.GetProperty("payments").EnumerateArray()).GetProperty("next_action").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("payments")[0].GetProperty("granted_at").ValueKind);
    }

    [Fact]
    public async Task AReturnBeforeTheBuyerApprovedKeepsThePaymentWaitingAndCapturesNothing()
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Now, paypal.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        var pending = (await BuyAsync(silo, key, planId, HttpStatusCode.Accepted)).GetProperty("payment");
        var orderId = pending.GetProperty("provider_reference").GetString()!;
        using var client = MeteringApiTests.Client(silo, key);

        var early = await BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}", HttpStatusCode.Accepted);
        var confirmEarly = await CatalogSilo.ReadAsync(await client.PostAsync(new Uri($"/api/v1/billing/payments/{pending.GetProperty("id")}/confirm", UriKind.Relative), null), HttpStatusCode.Accepted);
        var read = await silo.GetAsync(client, $"/api/v1/billing/payments/{pending.GetProperty("id")}");

        Assert.Equal(("requires_action", "requires_action", "requires_action"), (early.GetProperty("payment").GetProperty("status").GetString(), confirmEarly.GetProperty("payment").GetProperty("status").GetString(), read.GetProperty("status").GetString()));
        Assert.Equal(pending.GetProperty("next_action").GetProperty("url").GetString(), read.GetProperty("next_action").GetProperty("url").GetString());
        Assert.Equal(0, paypal.Captures);
        Assert.Equal(0, (await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("tokens_granted").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ACancelledCheckoutFailsThePaymentAndGrantsNothing(string dialect)
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, null, Now, paypal.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        var orderId = (await BuyAsync(silo, key, planId, HttpStatusCode.Accepted)).GetProperty("payment").GetProperty("provider_reference").GetString()!;

        var cancelled = await BrowserAsync(silo, $"/api/v1/billing/paypal/cancel?token={orderId}", HttpStatusCode.OK);
        paypal.Approve(orderId);
        var lateReturn = await BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}", HttpStatusCode.PaymentRequired);

        Assert.Equal(("failed", "paypal_cancelled"), (cancelled.GetProperty("payment").GetProperty("status").GetString(), cancelled.GetProperty("payment").GetProperty("failure_code").GetString()));
        Assert.Equal(("payment_failed", "paypal_cancelled"), (lateReturn.GetProperty("code").GetString(), lateReturn.GetProperty("failure_code").GetString()));
        Assert.Equal(0, paypal.Captures);
        Assert.Equal(0, (await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/subscription")).GetProperty("tokens_granted").GetInt64());
    }

    [Fact]
    public async Task ACancelPageReachedAfterApprovalCapturesInsteadOfFailing()
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Now, paypal.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        var orderId = (await BuyAsync(silo, key, planId, HttpStatusCode.Accepted)).GetProperty("payment").GetProperty("provider_reference").GetString()!;
        paypal.Approve(orderId);

        var answer = await BrowserAsync(silo, $"/api/v1/billing/paypal/cancel?token={orderId}", HttpStatusCode.OK);

        Assert.Equal("succeeded", answer.GetProperty("payment").GetProperty("status").GetString());
        Assert.Equal((1, 1_000), (paypal.Captures, answer.GetProperty("subscription").GetProperty("tokens_granted").GetInt64()));
    }

    [Fact]
    public async Task ADeclinedCaptureIs402WithPayPalsIssueAndGrantsNothing()
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Now, paypal.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        var orderId = (await BuyAsync(silo, key, planId, HttpStatusCode.Accepted)).GetProperty("payment").GetProperty("provider_reference").GetString()!;
        paypal.Approve(orderId);
        paypal.DeclineCaptures = true;

        var problem = await BrowserAsync(silo, $"/api/v1/billing/paypal/return?token={orderId}", HttpStatusCode.PaymentRequired);

        Assert.Equal(("payment_failed", "paypal_declined", "instrument_declined"), (problem.GetProperty("code").GetString(), problem.GetProperty("failure_code").GetString(), problem.GetProperty("decline_code").GetString()));
        Assert.Equal(0, (await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/subscription")).GetProperty("tokens_granted").GetInt64());
    }

    [Fact]
    public async Task AnUnknownOrderOrAMalformedTokenIs404AndChangesNothing()
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Now, paypal.Settings);

        var unknown = await BrowserAsync(silo, "/api/v1/billing/paypal/return?token=5O190127TN0000099", HttpStatusCode.NotFound);
        var malformed = await BrowserAsync(silo, "/api/v1/billing/paypal/cancel?token=%27%3B--", HttpStatusCode.NotFound);
        var missing = await BrowserAsync(silo, "/api/v1/billing/paypal/return", HttpStatusCode.NotFound);

        Assert.All(new[] { unknown, malformed, missing }, p => Assert.Equal("paypal_order_not_found", p.GetProperty("code").GetString()));
        Assert.Equal(0, paypal.TokenRequests);
    }

    [Fact]
    public async Task PayPalWithCardDetailsOrAnUnknownPaymentMethodIs400AndCreatesNoPayment()
    {
        await using var paypal = await PayPalStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, Now, paypal.Settings);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        using var client = MeteringApiTests.Client(silo, key);

        using var both = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = planId, payment_method = "paypal", payment_method_id = "pm_card_visa" });
        using var unknown = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = planId, payment_method = "credit_card" });

        foreach (var problem in new[] { await CatalogSilo.ReadAsync(both, HttpStatusCode.BadRequest), await CatalogSilo.ReadAsync(unknown, HttpStatusCode.BadRequest) })
        {
            Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty("payment_method", out _), problem.ToString());
        }

        Assert.Empty((await silo.GetAsync(client, "/api/v1/billing/payments")).GetProperty("payments").EnumerateArray());
        Assert.Equal(0, paypal.OrdersCreated);
    }

    internal static async Task<JsonElement> BuyAsync(CatalogSilo silo, string key, string planId, HttpStatusCode expected, string? idempotencyKey = null)
    {
        using var client = MeteringApiTests.Client(silo, key);
        if (idempotencyKey is not null)
        {
            client.DefaultRequestHeaders.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = planId, payment_method = "paypal" });
        return await CatalogSilo.ReadAsync(response, expected);
    }

    /// <summary>The buyer's browser: no API key.</summary>
    internal static async Task<JsonElement> BrowserAsync(CatalogSilo silo, string path, HttpStatusCode expected)
    {
        using var browser = silo.CreateClient();
        return await silo.GetAsync(browser, path, expected);
    }
}
