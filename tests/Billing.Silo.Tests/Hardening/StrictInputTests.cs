using System.Net;
using Microsoft.AspNetCore.Http;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Metering;

namespace Billing.Silo.Tests.Hardening;

/// <summary>Bad input through HTTP is a clear 4xx naming what is wrong, never a 500 (issue 13).</summary>
public sealed class StrictInputTests
{
    [Fact]
    public async Task NullEventInABatchIs400NamingItsIndexAndConsumesNothing()
    {
        await using var metered = await MeteredSilo.StartAsync();
        var (silo, client) = (metered.Silo, metered.Client);

        var problem = await silo.PostRawAsync(client, "/api/v1/usage/batch", """{"events":[{"tokens":1},null,{"tokens":2},null]}""", "application/json", HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.Equal(["events[1]", "events[3]"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal("events[1] must be an event object, not null", problem.GetProperty("errors").GetProperty("events[1]")[0].GetString());
        Assert.Equal(100, await metered.TokensRemainingAsync());
    }

    [Theory]
    [InlineData("""{"tokens":1.5}""", "tokens", "tokens must be a whole number (a JSON number, not a string) in range")]
    [InlineData("""{"tokens":true}""", "tokens", "tokens must be a whole number (a JSON number, not a string) in range")]
    [InlineData("""{"tokens":"5"}""", "tokens", "tokens must be a whole number (a JSON number, not a string) in range")]
    [InlineData("""{"tokens":5,"description":7}""", "description", "description must be a string")]
    [InlineData("""{"tokens":5,"occurred_at":"yesterday"}""", "occurred_at", "occurred_at must be an ISO 8601 date and time string, e.g. 2026-11-21T12:00:00Z")]
    [InlineData("""{"Tokens":5}""", "Tokens", "received unknown parameter: Tokens")]
    [InlineData("""{"tokens":5,"foo":1}""", "foo", "received unknown parameter: foo")]
    [InlineData("""{"tokens":5,"tokens":6}""", "tokens", "tokens appears more than once")]
    [InlineData("null", "body", "the body must be a JSON object, not null")]
    [InlineData("[1]", "body", "the body must be a JSON object")]
    public async Task ValidJsonThatBreaksTheContractIs400InvalidRequestNamingTheField(string body, string field, string message)
    {
        await using var metered = await MeteredSilo.StartAsync();
        var (silo, client) = (metered.Silo, metered.Client);

        var problem = await silo.PostRawAsync(client, "/api/v1/billing/tokens/consume", body, "application/json", HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request", Code(problem));
        Assert.Equal(message, Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString());
        Assert.Equal(100, await metered.TokensRemainingAsync());
    }

    [Fact]
    public async Task TheContractHoldsInNestedObjectsAndOnAdminEndpointsWhileMalformedJsonStaysInvalidJson()
    {
        await using var metered = await MeteredSilo.StartAsync();
        var (silo, client) = (metered.Silo, metered.Client);

        var nested = await silo.PostRawAsync(client, "/api/v1/usage/batch", """{"events":[{"tokens":1},{"tokens":1,"bar":2}]}""", "application/json", HttpStatusCode.BadRequest);
        var wrongItem = await silo.PostRawAsync(client, "/api/v1/usage/batch", """{"events":[5]}""", "application/json", HttpStatusCode.BadRequest);
        var price = await silo.PostRawAsync(silo.Admin, "/api/v1/admin/plans", """{"name":"Basic","price":"15.00","currency":"EUR","tokens_included":1000}""", "application/json", HttpStatusCode.BadRequest);
        var broken = await silo.PostRawAsync(client, "/api/v1/billing/tokens/consume", """{"tokens": """, "application/json", HttpStatusCode.BadRequest);
        var trailing = await silo.PostRawAsync(client, "/api/v1/billing/tokens/consume", """{"tokens":1} x""", "application/json", HttpStatusCode.BadRequest);

        Assert.Equal("received unknown parameter: events[1].bar", problem(nested, "events[1].bar"));
        Assert.Equal("events[0] must be a JSON object", problem(wrongItem, "events[0]"));
        Assert.Equal("price must be a number (a JSON number, not a string)", problem(price, "price"));
        Assert.Equal(("invalid_json", "invalid_json"), (Code(broken), Code(trailing)));
        Assert.Equal(100, await metered.TokensRemainingAsync());

        static string? problem(JsonElement answer, string field)
        {
            Assert.Equal("invalid_request", Code(answer));
            return Assert.Single(answer.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString();
        }
    }

    [Fact]
    public async Task EmptyIdempotencyKeyHeaderIs400LikeAnyOtherInvalidKey()
    {
        await using var metered = await MeteredSilo.StartAsync();
        var (silo, client) = (metered.Silo, metered.Client);

        // HttpClient leaves out a header whose value is empty; a raw client (curl -H 'Idempotency-Key;') sends it.
        var context = await silo.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Post;
            http.Request.Path = "/api/v1/billing/tokens/consume";
            http.Request.Headers["X-API-Key"] = metered.Key;
            http.Request.Headers["Idempotency-Key"] = "";
            http.Request.ContentType = "application/json";
            http.Request.Body = new MemoryStream("""{"tokens":5}"""u8.ToArray());
        });
        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        var problem = (await JsonDocument.ParseAsync(context.Response.Body)).RootElement;

        Assert.Equal("invalid_request", Code(problem));
        Assert.Equal("Idempotency-Key must be 1 to 255 characters", Assert.Single(problem.GetProperty("errors").GetProperty("idempotency_key").EnumerateArray()).GetString());
        Assert.Equal(100, await metered.TokensRemainingAsync());
    }

    [Fact]
    public async Task LengthLimitsCountCharactersNotUtf16Units()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (customerId, _, _, key) = await MeteringApiTests.MeteredCustomerAsync(silo, tokens: 100);
        const string Emoji = "\U0001F600"; // one character, two UTF-16 units

        var fits = await silo.PostAsync($"/api/v1/admin/customers/{customerId}/shops", new { name = string.Concat(Enumerable.Repeat(Emoji, 100)) });
        var tooLong = await silo.PostAsync($"/api/v1/admin/customers/{customerId}/shops", new { name = string.Concat(Enumerable.Repeat(Emoji, 101)) }, HttpStatusCode.BadRequest);
        var consumed = await MeteringApiTests.ConsumeAsync(silo, key, new { tokens = 1, description = string.Concat(Enumerable.Repeat(Emoji, 500)) });

        Assert.Equal(200, fits.GetProperty("name").GetString()!.Length);
        Assert.Equal("name must be at most 100 characters (got 101).", tooLong.GetProperty("detail").GetString());
        Assert.Equal(99, consumed.GetProperty("tokens_remaining").GetInt64());
    }

    [Fact]
    public async Task NoBodyAndNoContentTypeIsTheEmptyObjectWhereEveryFieldIsOptional()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);

        using var monthly = await silo.Admin.PostAsync(new Uri("/api/billing-scheduler/process-monthly-billing", UriKind.Relative), content: null);
        using var shop = await silo.Admin.PostAsync(new Uri("/api/billing-scheduler/process-shop-billing/shop_none", UriKind.Relative), content: null);
        using var pay = await silo.Admin.PostAsync(new Uri("/api/v1/admin/invoices/inv_none/pay", UriKind.Relative), content: null);
        using var textBody = await silo.Admin.PostAsync(new Uri("/api/v1/admin/invoices/inv_none/pay", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal("completed", (await CatalogSilo.ReadAsync(monthly, HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("shop_not_found", Code(await CatalogSilo.ReadAsync(shop, HttpStatusCode.NotFound)));
        Assert.Equal("invoice_not_found", Code(await CatalogSilo.ReadAsync(pay, HttpStatusCode.NotFound)));
        Assert.Equal("unsupported_media_type", Code(await CatalogSilo.ReadAsync(textBody, HttpStatusCode.UnsupportedMediaType)));
    }

    [Fact]
    public async Task BareParseEndpointIsOffByDefaultAndWhenOnTakesTheAdminKeyAndTheUsualBodyLimit()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using (var off = CatalogSilo.Start(database))
        {
            using var absent = await off.Admin.PostAsync(new Uri("/api/v1/loadtest/parse", UriKind.Relative), Json("""{"tokens":1}"""));
            Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
        }

        await using var silo = CatalogSilo.Start(database, configure: null, CatalogSilo.DefaultNow, new Dictionary<string, string> { ["Billing:LoadTest:BareEndpointEnabled"] = "true" });
        using var anonymous = silo.CreateClient();
        using var noKey = await anonymous.PostAsync(new Uri("/api/v1/loadtest/parse", UriKind.Relative), Json("""{"tokens":1}"""));
        using var tooLarge = await silo.Admin.PostAsync(new Uri("/api/v1/loadtest/parse", UriKind.Relative), Json($$"""{"tokens":1,"description":"{{new string('d', 70_000)}}"}"""));
        using var unknown = await silo.Admin.PostAsync(new Uri("/api/v1/loadtest/parse", UriKind.Relative), Json("""{"tokens":1,"foo":2}"""));
        using var ok = await silo.Admin.PostAsync(new Uri("/api/v1/loadtest/parse", UriKind.Relative), Json("""{"tokens":7}"""));

        Assert.Equal("unauthorized", Code(await CatalogSilo.ReadAsync(noKey, HttpStatusCode.Unauthorized)));
        Assert.Equal("payload_too_large", Code(await CatalogSilo.ReadAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge)));
        Assert.Equal("invalid_request", Code(await CatalogSilo.ReadAsync(unknown, HttpStatusCode.BadRequest)));
        Assert.Equal(7, (await CatalogSilo.ReadAsync(ok, HttpStatusCode.OK)).GetProperty("tokens").GetInt64());
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    internal static string? Code(JsonElement problem) => problem.GetProperty("code").GetString();

    /// <summary>A silo over a fresh SQLite database with one customer holding 100 tokens, and a client with its shop's key.</summary>
    private sealed class MeteredSilo : IAsyncDisposable
    {
        private readonly TestDatabase database;

        private MeteredSilo(TestDatabase database, CatalogSilo silo, HttpClient client, string key) =>
            (this.database, Silo, Client, Key) = (database, silo, client, key);

        public CatalogSilo Silo { get; }

        public HttpClient Client { get; }

        public string Key { get; }

        public static async Task<MeteredSilo> StartAsync()
        {
            var database = TestDatabase.CreateSqlite();
            var silo = CatalogSilo.Start(database);
            var (_, _, _, key) = await MeteringApiTests.MeteredCustomerAsync(silo, tokens: 100);
            return new MeteredSilo(database, silo, MeteringApiTests.Client(silo, key), key);
        }

        /// <summary>What the subscription has left: 100 while every request was refused.</summary>
        public async Task<long> TokensRemainingAsync() =>
            (await Silo.GetAsync(Client, "/api/v1/billing/subscription")).GetProperty("tokens_remaining").GetInt64();

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Silo.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
