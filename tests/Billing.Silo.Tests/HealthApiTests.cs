using System.Net;
using System.Text.Json;
using Billing.Testing;

namespace Billing.Silo.Tests;

public sealed class HealthApiTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task HealthReportsTheSiloAndItsDatabase(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var factory = new SiloFactory(database);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("functional-test", body.RootElement.GetProperty("silo").GetString());
        Assert.Equal(dialect, body.RootElement.GetProperty("storage").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("activations").GetInt32());
    }

    [Fact]
    public async Task LivenessAndReadinessAnswerGetAndHeadAndHealthAnswersHead()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var factory = new SiloFactory(database);
        using var client = factory.CreateClient();

        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            using var get = await client.GetAsync(new Uri(path, UriKind.Relative));
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            using var post = await client.PostAsync(new Uri(path, UriKind.Relative), content: null);

            Assert.Equal((HttpStatusCode.OK, "Healthy"), (get.StatusCode, await get.Content.ReadAsStringAsync()));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        }

        using var headHealth = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/health"));
        Assert.Equal(HttpStatusCode.OK, headHealth.StatusCode);
    }

    [Fact]
    public async Task UnknownRouteIsAProblemDetailsWithAStableCode()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var factory = new SiloFactory(database);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/no/such/route", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not_found", body.RootElement.GetProperty("code").GetString());
        Assert.Equal(404, body.RootElement.GetProperty("status").GetInt32());
    }
}
