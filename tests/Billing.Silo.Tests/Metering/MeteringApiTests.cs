using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;

namespace Billing.Silo.Tests.Metering;

/// <summary>Every answer of the metering API, through HTTP, on both dialects.</summary>
public sealed class MeteringApiTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ConsumeDeductsWithEitherHeaderAndAnswersTheNewBalance(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (customerId, _, _, key) = await MeteredCustomerAsync(silo, tokens: 1_000);

        var viaHeader = await ConsumeAsync(silo, key, new { tokens = 10, description = "chat", endpoint = "/v1/chat", method = "POST", status_code = 200 }, bearer: false);
        var viaBearer = await ConsumeAsync(silo, key, new { tokens = 15 }, bearer: true);

        Assert.Equal((990, 10), (viaHeader.GetProperty("tokens_remaining").GetInt64(), viaHeader.GetProperty("used_tokens").GetInt64()));
        Assert.Equal(975, viaBearer.GetProperty("tokens_remaining").GetInt64());
        Assert.NotEqual(viaHeader.GetProperty("usage_id").GetGuid(), viaBearer.GetProperty("usage_id").GetGuid());
        var subscription = await silo.GetAsync(Client(silo, key), "/api/v1/billing/subscription");
        Assert.Equal(customerId, subscription.GetProperty("customer_id").GetString());
        Assert.Equal("Basic", subscription.GetProperty("plan_name").GetString());
        Assert.Equal((1_000, 975, 25), (subscription.GetProperty("tokens_granted").GetInt64(), subscription.GetProperty("tokens_remaining").GetInt64(), subscription.GetProperty("tokens_consumed").GetInt64()));
        Assert.True(subscription.GetProperty("is_active").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 12, 21, 12, 0, 0, TimeSpan.Zero), subscription.GetProperty("end_date").GetDateTimeOffset());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task GrantAnswersTheSubscriptionWithThePlansName(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Basic", price = 15.00m, currency = "EUR", tokens_included = 1_000, duration_days = 30, is_recurring = true });
        var (customerId, _, _, _) = await silo.IssueKeyAsync();

        var granted = await silo.PostAsync($"/api/v1/admin/customers/{customerId}/subscription", new { plan_id = plan.GetProperty("id").GetString() }, HttpStatusCode.OK);

        Assert.Equal((plan.GetProperty("id").GetString(), "Basic"), (granted.GetProperty("plan_id").GetString(), granted.GetProperty("plan_name").GetString()));
        Assert.Equal((1_000, 1_000, 0), (granted.GetProperty("tokens_granted").GetInt64(), granted.GetProperty("tokens_remaining").GetInt64(), granted.GetProperty("tokens_consumed").GetInt64()));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task InsufficientTokensIs402AndDeductsNothing(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await MeteredCustomerAsync(silo, tokens: 100);

        var problem = await ConsumeAsync(silo, key, new { tokens = 101 }, expected: HttpStatusCode.PaymentRequired);
        var after = await ConsumeAsync(silo, key, new { tokens = 100 });

        Assert.Equal("insufficient_tokens", problem.GetProperty("code").GetString());
        Assert.Equal("101 tokens requested, 100 remain; nothing was deducted.", problem.GetProperty("detail").GetString());
        Assert.Equal(0, after.GetProperty("tokens_remaining").GetInt64());
        var spent = await ConsumeAsync(silo, key, new { tokens = 1 }, expected: HttpStatusCode.Forbidden);
        Assert.Equal("no_active_subscription", spent.GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task CustomerWithoutSubscriptionGets403(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await silo.IssueKeyAsync();

        var problem = await ConsumeAsync(silo, key, new { tokens = 1 }, expected: HttpStatusCode.Forbidden);

        Assert.Equal("no_active_subscription", problem.GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task MissingUnknownAndRevokedKeysGet401(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, keyId, key) = await MeteredCustomerAsync(silo, tokens: 100);
        var (_, _, _, other) = await silo.IssueKeyAsync();
        var unknown = other[..^4] + (other[^4] == 'a' ? "bbbb" : "aaaa");

        await ConsumeAsync(silo, null, new { tokens = 1 }, expected: HttpStatusCode.Unauthorized);
        await ConsumeAsync(silo, unknown, new { tokens = 1 }, expected: HttpStatusCode.Unauthorized);
        await ConsumeAsync(silo, key, new { tokens = 1 });
        using (var revoked = await silo.Admin.DeleteAsync(new Uri($"/api/v1/admin/api-keys/{keyId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        var problem = await ConsumeAsync(silo, key, new { tokens = 1 }, expected: HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_api_key", problem.GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task BadBodiesAre400WithAStableCode(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await MeteredCustomerAsync(silo, tokens: 100);
        var client = Client(silo, key);

        foreach (var tokens in new[] { 0, -1, 1_000_001 })
        {
            var problem = await ConsumeAsync(silo, key, new { tokens }, expected: HttpStatusCode.BadRequest);
            Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
            Assert.Equal("tokens must be between 1 and 1000000", problem.GetProperty("errors").GetProperty("tokens")[0].GetString());
        }

        var missing = await silo.PostRawAsync(client, "/api/v1/billing/tokens/consume", "{}", "application/json", HttpStatusCode.BadRequest);
        var broken = await silo.PostRawAsync(client, "/api/v1/billing/tokens/consume", "{\"tokens\": ", "application/json", HttpStatusCode.BadRequest);
        var wrongType = await silo.PostRawAsync(client, "/api/v1/billing/tokens/consume", "{\"tokens\": \"ten\"}", "application/json", HttpStatusCode.BadRequest);
        Assert.Equal(("invalid_request", "invalid_json", "invalid_request"), (Code(missing), Code(broken), Code(wrongType)));
        Assert.Equal(100, (await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("tokens_remaining").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task RetryWithTheSameIdempotencyKeyReplaysAndADifferentBodyIs422(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await MeteredCustomerAsync(silo, tokens: 100);
        var client = Client(silo, key);

        using var first = await PostWithKeyAsync(client, "order-1", "{\"tokens\": 5, \"description\": \"a\"}");
        using var retry = await PostWithKeyAsync(client, "order-1", "{ \"description\":\"a\",  \"tokens\":5 }");
        using var reused = await PostWithKeyAsync(client, "order-1", "{\"tokens\": 6, \"description\": \"a\"}");

        var original = await CatalogSilo.ReadAsync(first, HttpStatusCode.OK);
        var replayed = await CatalogSilo.ReadAsync(retry, HttpStatusCode.OK);
        Assert.Equal(original.GetRawText(), replayed.GetRawText());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("idempotency_key_reused", Code(await CatalogSilo.ReadAsync(reused, HttpStatusCode.UnprocessableEntity)));
        Assert.Equal(95, (await silo.GetAsync(client, "/api/v1/billing/subscription")).GetProperty("tokens_remaining").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ConcurrentConsumesOverHttpNeverOverspend(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await MeteredCustomerAsync(silo, tokens: 1_000);
        var client = Client(silo, key);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens = 10 });
            return response.StatusCode;
        }));

        Assert.Equal(100, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.Forbidden, s));
        var subscription = await silo.GetAsync(client, "/api/v1/billing/subscription");
        Assert.Equal((0, 1_000), (subscription.GetProperty("tokens_remaining").GetInt64(), subscription.GetProperty("tokens_consumed").GetInt64()));
    }

    internal static async Task<(string CustomerId, string ShopId, string KeyId, string Key)> MeteredCustomerAsync(CatalogSilo silo, long tokens)
    {
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Basic", price = 15.00m, currency = "EUR", tokens_included = tokens, duration_days = 30, is_recurring = true });
        var issued = await silo.IssueKeyAsync();
        await silo.PostAsync($"/api/v1/admin/customers/{issued.CustomerId}/subscription", new { plan_id = plan.GetProperty("id").GetString() }, HttpStatusCode.OK);
        return issued;
    }

    internal static HttpClient Client(CatalogSilo silo, string key)
    {
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    internal static async Task<JsonElement> ConsumeAsync(CatalogSilo silo, string? key, object body, HttpStatusCode expected = HttpStatusCode.OK, bool bearer = false)
    {
        using var client = silo.CreateClient();
        if (key is not null && bearer)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        else if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", key);
        }

        using var response = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", body);
        return await CatalogSilo.ReadAsync(response, expected);
    }

    private static Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string idempotencyKey, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/tokens/consume") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    private static string? Code(JsonElement problem) => problem.GetProperty("code").GetString();
}
