using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;

namespace Billing.Silo.Tests.Payments;

/// <summary>Buying a plan with the sandbox provider (Stripe's test cards), through HTTP, on both dialects.</summary>
public sealed class PurchaseApiTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ASucceedingCardPaysThePlansPriceAndARetryWithTheSameKeyNeitherChargesNorGrantsAgain(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await BuyerAsync(silo, price: 15.00m, tokens: 1_000);

        var first = await PurchaseAsync(silo, key, planId, "4242 4242 4242 4242", HttpStatusCode.OK, idempotencyKey: "buy-1");
        var retry = await PurchaseAsync(silo, key, planId, "4242424242424242", HttpStatusCode.OK, idempotencyKey: "buy-1");

        var payment = first.GetProperty("payment");
        Assert.Equal(("succeeded", 15.00m, "EUR"), (payment.GetProperty("status").GetString(), payment.GetProperty("amount").GetDecimal(), payment.GetProperty("currency").GetString()));
        Assert.Equal(("visa", "4242", "sandbox"), (payment.GetProperty("card_brand").GetString(), payment.GetProperty("card_last4").GetString(), payment.GetProperty("provider").GetString()));
        Assert.StartsWith("pi_sandbox_", payment.GetProperty("provider_reference").GetString(), StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), payment.GetProperty("granted_at").GetDateTimeOffset());
        Assert.Equal(payment.GetProperty("id").GetGuid(), retry.GetProperty("payment").GetProperty("id").GetGuid());
        Assert.Equal((1_000, 1_000), (first.GetProperty("subscription").GetProperty("tokens_granted").GetInt64(), retry.GetProperty("subscription").GetProperty("tokens_granted").GetInt64()));
        var listed = await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/payments");
        Assert.Single(listed.GetProperty("payments").EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("payments")[0].GetProperty("granted_at").ValueKind);
    }

    [Theory]
    [InlineData("4000000000000002", "generic_decline")]
    [InlineData("4000000000009995", "insufficient_funds")]
    [InlineData("4000000000000341", "generic_decline")]
    [InlineData("4111111111111111", "test_mode_live_card")]
    public async Task ADeclinedCardIs402WithItsDeclineCodeAndGrantsNothing(string card, string declineCode)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await BuyerAsync(silo, price: 15.00m, tokens: 1_000);

        var problem = await PurchaseAsync(silo, key, planId, card, HttpStatusCode.PaymentRequired);

        Assert.Equal(("payment_failed", "card_declined", declineCode), (problem.GetProperty("code").GetString(), problem.GetProperty("failure_code").GetString(), problem.GetProperty("decline_code").GetString()));
        var subscription = await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/subscription");
        Assert.Equal(0, subscription.GetProperty("tokens_granted").GetInt64());
        var listed = await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/payments");
        Assert.Equal("failed", listed.GetProperty("payments")[0].GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ACardThatNeedsAuthenticationWaitsForItsConfirmationThenGrantsOnce(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        using var client = MeteringApiTests.Client(silo, key);

        var pending = await PurchaseAsync(silo, key, planId, "4000002500003155", HttpStatusCode.Accepted);
        var before = await silo.GetAsync(client, "/api/v1/billing/subscription");
        var confirmUrl = pending.GetProperty("payment").GetProperty("next_action").GetProperty("confirm_url").GetString()!;
        var confirmed = await CatalogSilo.ReadAsync(await client.PostAsync(new Uri(confirmUrl, UriKind.Relative), null), HttpStatusCode.OK);
        var again = await CatalogSilo.ReadAsync(await client.PostAsync(new Uri(confirmUrl, UriKind.Relative), null), HttpStatusCode.OK);

        Assert.Equal("requires_action", pending.GetProperty("payment").GetProperty("status").GetString());
        Assert.Equal(0, before.GetProperty("tokens_granted").GetInt64());
        Assert.Equal("succeeded", confirmed.GetProperty("payment").GetProperty("status").GetString());
        Assert.Equal((1_000, 1_000), (confirmed.GetProperty("subscription").GetProperty("tokens_granted").GetInt64(), again.GetProperty("subscription").GetProperty("tokens_granted").GetInt64()));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyForAnotherPurchaseIs422AndChargesNothing()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        await PurchaseAsync(silo, key, planId, "4000000000000002", HttpStatusCode.PaymentRequired, idempotencyKey: "buy-1");

        var problem = await PurchaseAsync(silo, key, planId, "4242424242424242", (HttpStatusCode)422, idempotencyKey: "buy-1");

        Assert.Equal("idempotency_key_reused", problem.GetProperty("code").GetString());
        var listed = await silo.GetAsync(MeteringApiTests.Client(silo, key), "/api/v1/billing/payments");
        Assert.Single(listed.GetProperty("payments").EnumerateArray());
    }

    [Theory]
    [InlineData("4242424242424241", 12, 2030, "card.number")]
    [InlineData("4242424242424242", 10, 2026, "card.exp_year")]
    [InlineData("4242424242424242", 13, 2030, "card.exp_year")]
    public async Task AnInvalidCardIs400NamingItsFieldAndCreatesNoPayment(string number, int month, int year, string field)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        using var client = MeteringApiTests.Client(silo, key);

        using var response = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = planId, card = new { number, exp_month = month, exp_year = year } });
        var problem = await CatalogSilo.ReadAsync(response, HttpStatusCode.BadRequest);
        using var noCard = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = planId });
        var missing = await CatalogSilo.ReadAsync(noCard, HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.True(missing.GetProperty("errors").TryGetProperty("card", out _), missing.ToString());
        Assert.Empty((await silo.GetAsync(client, "/api/v1/billing/payments")).GetProperty("payments").EnumerateArray());
    }

    [Fact]
    public async Task AFreePlanIsGrantedWithoutACard()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await BuyerAsync(silo, price: 0m, tokens: 100);
        using var client = MeteringApiTests.Client(silo, key);

        using var response = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = planId });
        var bought = await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);

        Assert.Equal(("succeeded", "none", 0m), (bought.GetProperty("payment").GetProperty("status").GetString(), bought.GetProperty("payment").GetProperty("provider").GetString(), bought.GetProperty("payment").GetProperty("amount").GetDecimal()));
        Assert.Equal(100, bought.GetProperty("subscription").GetProperty("tokens_remaining").GetInt64());
    }

    [Fact]
    public async Task AnotherCustomersPaymentCanBeNeitherReadNorConfirmed()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        var (_, _, _, otherKey) = await silo.IssueKeyAsync();
        var pending = await PurchaseAsync(silo, key, planId, "4000002500003155", HttpStatusCode.Accepted);
        var paymentId = pending.GetProperty("payment").GetProperty("id").GetGuid();
        using var other = MeteringApiTests.Client(silo, otherKey);

        var read = await silo.GetAsync(other, $"/api/v1/billing/payments/{paymentId}", HttpStatusCode.NotFound);
        var confirm = await CatalogSilo.ReadAsync(await other.PostAsync(new Uri($"/api/v1/billing/payments/{paymentId}/confirm", UriKind.Relative), null), HttpStatusCode.NotFound);

        Assert.Equal(("payment_not_found", "payment_not_found"), (read.GetProperty("code").GetString(), confirm.GetProperty("code").GetString()));
        Assert.Empty((await silo.GetAsync(other, "/api/v1/billing/payments")).GetProperty("payments").EnumerateArray());
        Assert.Equal("requires_action", (await silo.GetAsync(MeteringApiTests.Client(silo, key), $"/api/v1/billing/payments/{paymentId}")).GetProperty("status").GetString());
    }

    internal static async Task<(string PlanId, string Key)> BuyerAsync(CatalogSilo silo, decimal price, long tokens)
    {
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Basic", price, currency = "EUR", tokens_included = tokens, duration_days = 30, is_recurring = false });
        var (_, _, _, key) = await silo.IssueKeyAsync();
        return (plan.GetProperty("id").GetString()!, key);
    }

    internal static async Task<JsonElement> PurchaseAsync(CatalogSilo silo, string key, string planId, string card, HttpStatusCode expected, string? idempotencyKey = null)
    {
        using var client = MeteringApiTests.Client(silo, key);
        if (idempotencyKey is not null)
        {
            client.DefaultRequestHeaders.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.PostAsJsonAsync("/api/v1/billing/purchase", new { plan_id = planId, card = new { number = card, exp_month = 12, exp_year = 2030, cvc = "123" } });
        return await CatalogSilo.ReadAsync(response, expected);
    }
}
