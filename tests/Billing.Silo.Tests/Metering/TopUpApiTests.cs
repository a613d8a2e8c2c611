using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;

namespace Billing.Silo.Tests.Metering;

/// <summary>An operator's token pack: tokens added through the ledger, the plan's end date and price untouched, once per Idempotency-Key.</summary>
public sealed class TopUpApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ATopUpAddsTokensWithoutRenewingAndARepeatedKeyAddsNothing(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        string key;
        await using (var silo = CatalogSilo.Start(database, configure: null, now: Start))
        {
            (var customerId, key) = await SubscribedAsync(silo);
            silo.Time.Advance(TimeSpan.FromDays(3));
            using (var client = BillingScenario.Client(silo, key))
            using (var consume = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 100 }))
            {
                Assert.Equal(HttpStatusCode.OK, consume.StatusCode);
            }

            var (first, firstReplayed) = await TopUpAsync(silo, customerId, 500, "pack-0001", HttpStatusCode.OK);
            var (again, againReplayed) = await TopUpAsync(silo, customerId, 500, "pack-0001", HttpStatusCode.OK);
            var (other, _) = await TopUpAsync(silo, customerId, 600, "pack-0001", HttpStatusCode.UnprocessableEntity);
            var (second, _) = await TopUpAsync(silo, customerId, 250, "pack-0002", HttpStatusCode.OK);

            Assert.Equal((1500L, 1400L, 100L), Tokens(first));
            Assert.Equal((false, true), (firstReplayed, againReplayed));
            Assert.Equal(first.GetRawText(), again.GetRawText());
            Assert.Equal("idempotency_key_reused", other.GetProperty("code").GetString());
            Assert.Equal((1750L, 1650L, 100L), Tokens(second));
            Assert.Equal(("2026-11-21T12:00:00+00:00", "2026-12-21T12:00:00+00:00"), Dates(second));
        }

        // A restarted silo rebuilds the same balance and terms from the journal.
        await using var restarted = CatalogSilo.Start(database, configure: null, now: Start.AddDays(4));
        using var reader = BillingScenario.Client(restarted, key);
        var subscription = await restarted.GetAsync(reader, "/api/v1/billing/subscription");
        Assert.Equal((1750L, 1650L, 100L), Tokens(subscription));
        Assert.Equal(("2026-11-21T12:00:00+00:00", "2026-12-21T12:00:00+00:00"), Dates(subscription));
        Assert.Equal("Basic Plan", subscription.GetProperty("plan_name").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ACustomerWithoutAPlanCannotBeToppedUp(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var customerId = await AdminCatalogQueryApiTests.CustomerAsync(silo, "Acme", "billing@acme.com");

        var (problem, _) = await TopUpAsync(silo, customerId, 500, "pack-0001", HttpStatusCode.Conflict);
        var (unknown, _) = await TopUpAsync(silo, "cus_0123456789abcdefghij", 500, "pack-0001", HttpStatusCode.NotFound);

        Assert.Equal("no_subscription", problem.GetProperty("code").GetString());
        Assert.Equal("customer_not_found", unknown.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(0, "pack-0001", "tokens")]
    [InlineData(1_000_000_001, "pack-0001", "tokens")]
    [InlineData(5, null, "idempotency_key")]
    [InlineData(5, "", "idempotency_key")]
    public async Task AnInvalidTopUpIs400NamingTheField(long tokens, string? idempotencyKey, string field)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var customerId = await AdminCatalogQueryApiTests.CustomerAsync(silo, "Acme", "billing@acme.com");

        var (problem, _) = await TopUpAsync(silo, customerId, tokens, idempotencyKey, HttpStatusCode.BadRequest);

        Assert.Equal("invalid_top_up", problem.GetProperty("code").GetString());
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ATopUpNeedsTheAdminKey()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, apiKey) = await silo.IssueKeyAsync();
        using var customer = BillingScenario.Client(silo, apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/customers/cus_0123456789abcdefghij/subscription/top-ups")
        {
            Content = JsonContent.Create(new { tokens = 5 }),
        };
        request.Headers.Add("Idempotency-Key", "pack-0001");

        using var response = await customer.SendAsync(request);

        Assert.Equal("unauthorized", (await CatalogSilo.ReadAsync(response, HttpStatusCode.Unauthorized)).GetProperty("code").GetString());
    }

    private static async Task<(string CustomerId, string Key)> SubscribedAsync(CatalogSilo silo)
    {
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Basic Plan", price = 15, currency = "EUR", tokens_included = 1000, duration_days = 30, is_recurring = true });
        var (customerId, _, _, key) = await silo.IssueKeyAsync();
        await silo.PostAsync($"/api/v1/admin/customers/{customerId}/subscription", new { plan_id = plan.GetProperty("id").GetString() }, HttpStatusCode.OK);
        return (customerId, key);
    }

    private static async Task<(JsonElement Body, bool Replayed)> TopUpAsync(CatalogSilo silo, string customerId, long tokens, string? idempotencyKey, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/customers/{customerId}/subscription/top-ups")
        {
            Content = JsonContent.Create(new { tokens }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var response = await silo.Admin.SendAsync(request);
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true");
        return (await CatalogSilo.ReadAsync(response, expected), replayed);
    }

    private static (long, long, long) Tokens(JsonElement s) =>
        (s.GetProperty("tokens_granted").GetInt64(), s.GetProperty("tokens_remaining").GetInt64(), s.GetProperty("tokens_consumed").GetInt64());

    private static (string?, string?) Dates(JsonElement s) => (s.GetProperty("start_date").GetString(), s.GetProperty("end_date").GetString());
}
