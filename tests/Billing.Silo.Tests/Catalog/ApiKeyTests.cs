using System.Net;
using System.Net.Http.Headers;
using Billing.Domain;
using Billing.Testing;
using Billing.Silo.Api;
using Billing.Silo.Auth;
using Microsoft.AspNetCore.Http;

namespace Billing.Silo.Tests.Catalog;

public sealed class ApiKeyTests
{
    private const string WhoAmI = "/test/whoami";

    private static HttpClient WithBearer(CatalogSilo silo, string key)
    {
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static HttpClient WithHeader(CatalogSilo silo, string key)
    {
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task IssuedKeyIsShownOnceAndOnlyItsHashIsStored(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, shopId, _, _) = await silo.IssueKeyAsync();

        var issued = await silo.PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { name = " ci " });

        var id = issued.GetProperty("id").GetString()!;
        var key = issued.GetProperty("key").GetString()!;
        var prefix = issued.GetProperty("prefix").GetString()!;
        Assert.Matches("^key_[0-9A-Za-z]{20}$", id);
        Assert.Equal($$"""{"id":"{{id}}","shop_id":"{{shopId}}","name":"ci","prefix":"{{prefix}}","key":"{{key}}"}""", issued.GetRawText());
        Assert.Equal(prefix, ApiKeyFormat.Parse(key).Prefix);
        var stored = await silo.Store.FindByPrefixAsync(prefix, CancellationToken.None);
        Assert.Equal(ApiKeyFormat.Hash(key), stored!.KeyHash);
        Assert.Equal(id, stored.KeyId);
        Assert.False(stored.IsRevoked);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task KeyForAnUnknownShopIs404AndANamelessKeyIs400(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, shopId, _, _) = await silo.IssueKeyAsync();

        var unknown = await silo.PostAsync("/api/v1/admin/shops/shop_0123456789abcdefghij/api-keys", new { name = "ci" }, HttpStatusCode.NotFound);
        var nameless = await silo.PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { }, HttpStatusCode.BadRequest);
        var malformed = await silo.PostRawAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}/api-keys", "{,}", "application/json", HttpStatusCode.BadRequest);

        Assert.Equal("shop_not_found", unknown.GetProperty("code").GetString());
        Assert.Equal("invalid_api_key_request", nameless.GetProperty("code").GetString());
        Assert.Equal("""{"name":["name is required"]}""", nameless.GetProperty("errors").GetRawText());
        Assert.Equal("invalid_json", malformed.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task KeyAuthenticatesWithEitherHeaderAsItsShopAndCustomer(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (customerId, shopId, keyId, key) = await silo.IssueKeyAsync();
        using var bearer = WithBearer(silo, key);
        using var header = WithHeader(silo, key);

        var viaBearer = await silo.GetAsync(bearer, WhoAmI);
        var viaHeader = await silo.GetAsync(header, WhoAmI);

        var expected = $$"""{"key_id":"{{keyId}}","shop_id":"{{shopId}}","customer_id":"{{customerId}}"}""";
        Assert.Equal(expected, viaBearer.GetRawText());
        Assert.Equal(expected, viaHeader.GetRawText());
        Assert.Equal(1, silo.Lookups);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CustomersListPlansWithTheirApiKey(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Pro Plan", price = 40, currency = "EUR", tokens_included = 5000, duration_days = 30, is_recurring = true });
        var (_, _, _, key) = await silo.IssueKeyAsync();
        using var customer = WithBearer(silo, key);
        using var anonymous = silo.CreateClient();

        var plans = await silo.GetAsync(customer, "/api/v1/billing/plans");
        var refused = await silo.GetAsync(anonymous, "/api/v1/billing/plans", HttpStatusCode.Unauthorized);
        var adminKeyRefused = await silo.GetAsync(silo.Admin, "/api/v1/billing/plans", HttpStatusCode.Unauthorized);

        Assert.Equal($$"""{"plans":[{{plan.GetRawText()}}],"next_after":null}""", plans.GetRawText());
        Assert.Equal("invalid_api_key", refused.GetProperty("code").GetString());
        Assert.Equal("An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>.", refused.GetProperty("detail").GetString());
        Assert.Equal("invalid_api_key", adminKeyRefused.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task KeyWithAWrongChecksumIsRejectedWithoutALookup(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await silo.IssueKeyAsync();
        var typo = key[..^1] + (key[^1] == 'a' ? 'b' : 'a');
        using var client = WithHeader(silo, typo);

        var problem = await silo.GetAsync(client, WhoAmI, HttpStatusCode.Unauthorized);

        Assert.Equal("invalid_api_key", problem.GetProperty("code").GetString());
        Assert.Equal("The API key is malformed, unknown or revoked.", problem.GetProperty("detail").GetString());
        Assert.Equal(0, silo.Lookups);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ForgedSecretWithAValidChecksumIsRejectedByTheHash(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await silo.IssueKeyAsync();
        var forged = ApiKeyFormat.Create(ApiKeyFormat.Parse(key).Prefix, new string('A', ApiKeyFormat.SecretLength)).Value;
        using var genuine = WithBearer(silo, key);
        using var forger = WithBearer(silo, forged);

        await silo.GetAsync(genuine, WhoAmI);
        var problem = await silo.GetAsync(forger, WhoAmI, HttpStatusCode.Unauthorized);

        Assert.Equal("invalid_api_key", problem.GetProperty("code").GetString());
        Assert.Equal(1, silo.Lookups); // the forger hit the cached entry, and the hash comparison still refused it
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task LookupsAreCachedForFiveSecondsAndMissesToo(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await silo.IssueKeyAsync();
        using var known = WithBearer(silo, key);
        using var unknown = WithBearer(silo, ApiKeyFormat.Generate().Value);

        for (var i = 0; i < 3; i++)
        {
            await silo.GetAsync(known, WhoAmI);
            await silo.GetAsync(unknown, WhoAmI, HttpStatusCode.Unauthorized);
        }

        Assert.Equal(2, silo.Lookups);
        silo.Time.Advance(TimeSpan.FromSeconds(4.9));
        await silo.GetAsync(known, WhoAmI);
        await silo.GetAsync(unknown, WhoAmI, HttpStatusCode.Unauthorized);
        Assert.Equal(2, silo.Lookups);
        silo.Time.Advance(TimeSpan.FromSeconds(0.1));
        await silo.GetAsync(known, WhoAmI);
        await silo.GetAsync(unknown, WhoAmI, HttpStatusCode.Unauthorized);
        Assert.Equal(4, silo.Lookups);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task KeyRevokedOnAnotherSiloStopsWorkingWithinFiveSeconds(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        await using var other = CatalogSilo.Start(database);
        var (_, _, keyId, key) = await silo.IssueKeyAsync();
        using var client = WithHeader(silo, key);
        await silo.GetAsync(client, WhoAmI);

        using var revoked = await other.Admin.DeleteAsync(new Uri($"/api/v1/admin/api-keys/{keyId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        silo.Time.Advance(TimeSpan.FromSeconds(4.9));
        await silo.GetAsync(client, WhoAmI); // still cached on this silo
        silo.Time.Advance(TimeSpan.FromSeconds(0.1));
        var problem = await silo.GetAsync(client, WhoAmI, HttpStatusCode.Unauthorized);

        Assert.Equal("invalid_api_key", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task RevokingIsImmediateOnTheSameSiloAndIdempotent(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, keyId, key) = await silo.IssueKeyAsync();
        using var client = WithBearer(silo, key);
        await silo.GetAsync(client, WhoAmI);

        using var first = await silo.Admin.DeleteAsync(new Uri($"/api/v1/admin/api-keys/{keyId}", UriKind.Relative));
        await silo.GetAsync(client, WhoAmI, HttpStatusCode.Unauthorized);
        using var again = await silo.Admin.DeleteAsync(new Uri($"/api/v1/admin/api-keys/{keyId}", UriKind.Relative));
        using var unknown = await silo.Admin.DeleteAsync(new Uri("/api/v1/admin/api-keys/key_0123456789abcdefghij", UriKind.Relative));
        var notFound = await CatalogSilo.ReadAsync(unknown, HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal("api_key_not_found", notFound.GetProperty("code").GetString());
        Assert.Equal("API key not found", notFound.GetProperty("title").GetString());
        Assert.Equal("There is no API key with id 'key_0123456789abcdefghij'.", notFound.GetProperty("detail").GetString());
        Assert.True((await silo.Store.FindByPrefixAsync(ApiKeyFormat.Parse(key).Prefix, CancellationToken.None))!.IsRevoked);
    }

    [Fact]
    public async Task RevokingNeedsTheAdminKey()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (_, _, keyId, key) = await silo.IssueKeyAsync();
        using var customer = WithBearer(silo, key);

        using var response = await customer.DeleteAsync(new Uri($"/api/v1/admin/api-keys/{keyId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await silo.GetAsync(customer, WhoAmI);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Basic abc")]
    [InlineData("Bearer not-a-key")]
    public async Task MissingOrMalformedCredentialsAre401WithABearerChallenge(string authorization)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        using var client = silo.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        using var response = await client.GetAsync(new Uri(WhoAmI, UriKind.Relative));
        var problem = await CatalogSilo.ReadAsync(response, HttpStatusCode.Unauthorized);

        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("invalid_api_key", problem.GetProperty("code").GetString());
        Assert.Equal(0, silo.Lookups);
    }

    [Fact]
    public void PrincipalIsUnavailableOutsideARequireApiKeyGroup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new DefaultHttpContext().GetApiKeyPrincipal());

        Assert.Equal("No API key principal on this request: map the endpoint inside a RequireApiKey() group.", error.Message);
    }
}
