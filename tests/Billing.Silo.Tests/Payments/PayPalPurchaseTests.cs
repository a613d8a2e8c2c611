using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;

namespace Billing.Silo.Tests.Payments;

/// <summary>Buying a plan with PayPal (Orders v2 over REST) against a local stand-in of PayPal's API, through HTTP.</summary>
public sealed class PayPalPurchaseTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AnApprovedOrderIsCapturedOnTheBuyersReturnAndGrantsThePlanOnce(string dialect)
    {
        await using var shop = await PayPalShop.StartAsync(dialect);

        var pending = (await shop.BuyAsync(HttpStatusCode.Accepted)).GetProperty("payment");
        var (paymentId, orderId) = (pending.GetProperty("id").GetGuid(), pending.GetProperty("provider_reference").GetString()!);
        shop.PayPal.Approve(orderId);
        var returned = await shop.BrowserAsync("return", $"{orderId}&PayerID=PAYERSTANDIN1", HttpStatusCode.OK);
        var returnedAgain = await shop.BrowserAsync("return", $"{orderId}&PayerID=PAYERSTANDIN1", HttpStatusCode.OK);
        var confirmed = await shop.ConfirmAsync(paymentId.ToString(), HttpStatusCode.OK);

        Assert.Equal(("requires_action", "paypal", 15.00m, "EUR"), (pending.GetProperty("status").GetString(), pending.GetProperty("provider").GetString(), pending.GetProperty("amount").GetDecimal(), pending.GetProperty("currency").GetString()));
        Assert.Equal(("redirect_to_url", $"https://www.sandbox.paypal.com/checkoutnow?token={orderId}"), (pending.GetProperty("next_action").GetProperty("type").GetString(), pending.GetProperty("next_action").GetProperty("url").GetString()));
        var order = shop.PayPal.Order(orderId);
        var unit = order["purchase_units"]![0]!;
        Assert.Equal(("CAPTURE", "15.00", "EUR", paymentId.ToString("D")), ((string?)order["intent"], (string?)unit["amount"]!["value"], (string?)unit["amount"]!["currency_code"], (string?)unit["custom_id"]));
        Assert.Equal("15.00", (string?)unit["payments"]!["captures"]![0]!["amount"]!["value"]);
        var experience = order["payment_source"]!["paypal"]!["experience_context"]!;
        Assert.Equal((PayPalStandIn.ReturnUrl, PayPalStandIn.CancelUrl), ((string?)experience["return_url"], (string?)experience["cancel_url"]));
        Assert.Equal(new[] { $"create billing:plan_purchase:{paymentId:N}:attempt:1", $"capture billing:plan_purchase:{paymentId:N}:attempt:1:capture" }, shop.PayPal.RequestIds);
        Assert.Equal((1, 1, 1), (shop.PayPal.OrdersCreated, shop.PayPal.Captures, shop.PayPal.TokenRequests));
        foreach (var answer in new[] { returned, returnedAgain, confirmed })
        {
            Assert.Equal(("succeeded", paymentId), (answer.GetProperty("payment").GetProperty("status").GetString(), answer.GetProperty("payment").GetProperty("id").GetGuid()));
            Assert.Equal((1_000, 1_000), (answer.GetProperty("subscription").GetProperty("tokens_granted").GetInt64(), answer.GetProperty("subscription").GetProperty("tokens_remaining").GetInt64()));
        }

        var listed = Assert.Single((await shop.GetAsync("/api/v1/billing/payments")).GetProperty("payments").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("next_action").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("granted_at").ValueKind);
    }

    [Fact]
    public async Task AReturnBeforeTheBuyerApprovedKeepsThePaymentWaitingAndCapturesNothing()
    {
        await using var shop = await PayPalShop.StartAsync();
        var pending = (await shop.BuyAsync(HttpStatusCode.Accepted)).GetProperty("payment");
        var paymentId = pending.GetProperty("id").GetString()!;

        var early = await shop.BrowserAsync("return", pending.GetProperty("provider_reference").GetString(), HttpStatusCode.Accepted);
        var confirmEarly = await shop.ConfirmAsync(paymentId, HttpStatusCode.Accepted);
        var read = await shop.GetAsync($"/api/v1/billing/payments/{paymentId}");

        Assert.Equal(("requires_action", "requires_action", "requires_action"), (early.GetProperty("payment").GetProperty("status").GetString(), confirmEarly.GetProperty("payment").GetProperty("status").GetString(), read.GetProperty("status").GetString()));
        Assert.Equal(pending.GetProperty("next_action").GetProperty("url").GetString(), read.GetProperty("next_action").GetProperty("url").GetString());
        Assert.Equal((0, 0L), (shop.PayPal.Captures, await shop.TokensGrantedAsync()));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ACancelledCheckoutFailsThePaymentAndGrantsNothing(string dialect)
    {
        await using var shop = await PayPalShop.StartAsync(dialect);
        var orderId = await shop.OrderAsync();

        var cancelled = await shop.BrowserAsync("cancel", orderId, HttpStatusCode.OK);
        shop.PayPal.Approve(orderId);
        var lateReturn = await shop.BrowserAsync("return", orderId, HttpStatusCode.PaymentRequired);

        Assert.Equal(("failed", "paypal_cancelled"), (cancelled.GetProperty("payment").GetProperty("status").GetString(), cancelled.GetProperty("payment").GetProperty("failure_code").GetString()));
        Assert.Equal(("payment_failed", "paypal_cancelled"), (lateReturn.GetProperty("code").GetString(), lateReturn.GetProperty("failure_code").GetString()));
        Assert.Equal((0, 0L), (shop.PayPal.Captures, await shop.TokensGrantedAsync()));
    }

    [Fact]
    public async Task ACancelPageReachedAfterApprovalCapturesInsteadOfFailing()
    {
        await using var shop = await PayPalShop.StartAsync();
        var orderId = await shop.OrderAsync();
        shop.PayPal.Approve(orderId);

        var answer = await shop.BrowserAsync("cancel", orderId, HttpStatusCode.OK);

        Assert.Equal("succeeded", answer.GetProperty("payment").GetProperty("status").GetString());
        Assert.Equal((1, 1_000), (shop.PayPal.Captures, answer.GetProperty("subscription").GetProperty("tokens_granted").GetInt64()));
    }

    [Fact]
    public async Task ADeclinedCaptureIs402WithPayPalsIssueAndGrantsNothing()
    {
        await using var shop = await PayPalShop.StartAsync();
        var orderId = await shop.OrderAsync();
        shop.PayPal.Approve(orderId);
        shop.PayPal.DeclineCaptures = true;

        var problem = await shop.BrowserAsync("return", orderId, HttpStatusCode.PaymentRequired);

        Assert.Equal(("payment_failed", "paypal_declined", "instrument_declined"), (problem.GetProperty("code").GetString(), problem.GetProperty("failure_code").GetString(), problem.GetProperty("decline_code").GetString()));
        Assert.Equal(0, await shop.TokensGrantedAsync());
    }

    [Fact]
    public async Task AnUnknownOrderOrAMalformedTokenIs404AndChangesNothing()
    {
        await using var shop = await PayPalShop.StartAsync();

        var unknown = await shop.BrowserAsync("return", "5O190127TN0000099", HttpStatusCode.NotFound);
        var malformed = await shop.BrowserAsync("cancel", "%27%3B--", HttpStatusCode.NotFound);
        var missing = await shop.BrowserAsync("return", null, HttpStatusCode.NotFound);

        Assert.All(new[] { unknown, malformed, missing }, p => Assert.Equal("paypal_order_not_found", p.GetProperty("code").GetString()));
        Assert.Equal(0, shop.PayPal.TokenRequests);
    }

    [Fact]
    public async Task PayPalWithCardDetailsOrAnUnknownPaymentMethodIs400AndCreatesNoPayment()
    {
        await using var shop = await PayPalShop.StartAsync();
        using var client = shop.Customer();

        using var both = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = shop.PlanId, payment_method = "paypal", payment_method_id = "pm_card_visa" });
        using var unknown = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = shop.PlanId, payment_method = "credit_card" });

        foreach (var problem in new[] { await Catalog.CatalogSilo.ReadAsync(both, HttpStatusCode.BadRequest), await Catalog.CatalogSilo.ReadAsync(unknown, HttpStatusCode.BadRequest) })
        {
            Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty("payment_method", out _), problem.ToString());
        }

        Assert.Empty((await shop.GetAsync("/api/v1/billing/payments")).GetProperty("payments").EnumerateArray());
        Assert.Equal(0, shop.PayPal.OrdersCreated);
    }
}
