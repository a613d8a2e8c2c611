using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Billing.Testing;

namespace Billing.Silo.Tests.Catalog;

public sealed class AdminPlanApiTests
{
    private const string Plans = "/api/v1/admin/plans";

    private static readonly object BasicPlan = new
    {
        name = "Basic Plan", price = 15, currency = "EUR", tokens_included = 1000, duration_days = 30, is_recurring = true, description = "Perfect for small teams",
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CreatedPlanIsAnswered201AndListedWithExactValues(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var created = await silo.PostAsync(Plans, BasicPlan);
        var listed = await silo.GetAsync(silo.Admin, Plans);

        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^plan_[0-9A-Za-z]{20}$", id);
        var expected = $$"""{"id":"{{id}}","name":"Basic Plan","price":15.00,"currency":"EUR","tokens_included":1000,"duration_days":30,"is_recurring":true,"description":"Perfect for small teams"}""";
        Assert.Equal(expected, created.GetRawText());
        Assert.Equal($$"""{"plans":[{{expected}}],"next_after":null}""", listed.GetRawText());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task InvalidPlanIs400InvalidPlanNamingEveryField(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.PostAsync(Plans, new { name = "", price = 1.005, currency = "EUR", tokens_included = 0, is_recurring = true }, HttpStatusCode.BadRequest);

        Assert.Equal("invalid_plan", problem.GetProperty("code").GetString());
        Assert.Equal(
            """{"name":["name is required"],"price":["price must have at most 2 decimal places in EUR"],"tokens_included":["tokens_included must be between 1 and 1000000000000"],"duration_days":["duration_days is required when is_recurring is true: it is the renewal period"]}""",
            problem.GetProperty("errors").GetRawText());
        Assert.Equal("""{"plans":[],"next_after":null}""", (await silo.GetAsync(silo.Admin, Plans)).GetRawText());
    }

    [Theory]
    [InlineData("sqlite", "{\"name\": \"Basic\",", "invalid_json", "The body is not valid JSON for this request (at $).")]
    [InlineData("postgres", "{\"name\": \"Basic\",", "invalid_json", "The body is not valid JSON for this request (at $).")]
    [InlineData("sqlite", "", "invalid_json", "The body is not valid JSON for this request (at $).")]
    [InlineData("sqlite", "{\"price\": \"fifteen\"}", "invalid_request", "price must be a number (a JSON number, not a string).")]
    [InlineData("sqlite", "null", "invalid_request", "the body must be a JSON object, not null.")]
    [InlineData("sqlite", "[1, 2]", "invalid_request", "the body must be a JSON object.")]
    public async Task MalformedJsonIsInvalidJsonAndValidJsonOfTheWrongShapeIsInvalidRequest(string dialect, string body, string code, string expectedDetail)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.PostRawAsync(silo.Admin, Plans, body, "application/json", HttpStatusCode.BadRequest);

        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(expectedDetail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task NonJsonBodyIs415AndOversizedBodyIs413()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);

        var wrongType = await silo.PostRawAsync(silo.Admin, Plans, "name=Basic", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType);
        var tooLarge = await silo.PostRawAsync(
            silo.Admin, Plans, $$"""{"description":"{{new string('x', 70_000)}}"}""", "application/json", HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("unsupported_media_type", wrongType.GetProperty("code").GetString());
        Assert.Equal("payload_too_large", tooLarge.GetProperty("code").GetString());
        Assert.Equal("The body must be at most 65536 bytes.", tooLarge.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("sqlite", null)]
    [InlineData("postgres", null)]
    [InlineData("sqlite", "Bearer wrong-key-0123456789-abcdefghijklmnopq")]
    [InlineData("postgres", "Bearer wrong-key-0123456789-abcdefghijklmnopq")]
    [InlineData("sqlite", "Basic dGVzdDp0ZXN0")]
    [InlineData("sqlite", "Bearer ")]
    public async Task MissingOrWrongAdminKeyIs401WithABearerChallengeBeforeTheBodyIsRead(string dialect, string? authorization)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        using var client = silo.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        using var list = await client.GetAsync(new Uri(Plans, UriKind.Relative));
        var problem = await silo.PostRawAsync(client, Plans, "{not json", "application/json", HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal("Bearer", Assert.Single(list.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", list.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthorized", problem.GetProperty("code").GetString());
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PlansArePagedInCreationOrder(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var ids = new List<string>();
        foreach (var name in new[] { "One", "Two", "Three" })
        {
            ids.Add((await silo.PostAsync(Plans, new { name, price = 1, currency = "EUR", tokens_included = 10 })).GetProperty("id").GetString()!);
            silo.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var first = await silo.GetAsync(silo.Admin, $"{Plans}?limit=2");
        var second = await silo.GetAsync(silo.Admin, $"{Plans}?limit=2&after={first.GetProperty("next_after").GetString()}");

        Assert.Equal(ids[..2], first.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(ids[1], first.GetProperty("next_after").GetString());
        Assert.Equal([ids[2]], second.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_after").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "limit must be a whole number from 1 to 500.")]
    [InlineData("limit=501", "limit must be a whole number from 1 to 500.")]
    [InlineData("limit=abc", "limit must be a whole number from 1 to 500.")]
    [InlineData("limit=-1", "limit must be a whole number from 1 to 500.")]
    [InlineData("after=plan_123", "after must be a plan id, as given in next_after.")]
    public async Task BadPagingIs400InvalidQuery(string query, string expectedDetail)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.GetAsync(silo.Admin, $"{Plans}?{query}", HttpStatusCode.BadRequest);

        Assert.Equal("invalid_query", problem.GetProperty("code").GetString());
        Assert.Equal(expectedDetail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AdminKeyInAnotherSchemeOrHeaderIsNotAccepted()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        using var client = silo.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", CatalogSilo.AdminKey);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", CatalogSilo.AdminKey);

        var problem = await silo.GetAsync(client, Plans, HttpStatusCode.Unauthorized);

        Assert.Equal("unauthorized", problem.GetProperty("code").GetString());
    }
}
