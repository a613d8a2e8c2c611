using System.Net;
using System.Net.Http.Json;
using System.Text;
using Billing.Contracts.Metering;
using Billing.Domain;
using Billing.Testing;
using Billing.Silo.Api.Metering;

namespace Billing.Silo.Tests.Metering;

public sealed class ConsumeRequestTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1_000_001)]
    public void RejectsTokensOutsideOneToAMillion(long tokens)
    {
        var errors = new ConsumeRequest(tokens, null, null, null, null).Validate();

        Assert.Equal([new FieldError("tokens", "tokens must be between 1 and 1000000")], errors);
    }

    [Fact]
    public void AcceptsTheBoundsAndBoundsEveryText()
    {
        Assert.Empty(new ConsumeRequest(1, "d", "/v1", "POST", 200).Validate());
        Assert.Empty(new ConsumeRequest(1_000_000, null, null, null, null).Validate());
        var errors = new ConsumeRequest(1, new string('d', 501), new string('e', 201), new string('m', 17), 700).Validate();
        Assert.Equal(["description", "endpoint", "method", "status_code"], errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void HashIgnoresFormattingButNotFields()
    {
        var request = new ConsumeRequest(5, "chat", "/v1/chat", "POST", 200);

        Assert.Equal(request.Hash(), (request with { }).Hash());
        Assert.NotEqual(request.Hash(), (request with { Tokens = 6 }).Hash());
        Assert.NotEqual(request.Hash(), (request with { Description = null }).Hash());
        Assert.NotEqual((request with { Description = "" }).Hash(), (request with { Description = null }).Hash());
    }

    [Theory]
    [InlineData("", "Idempotency-Key must be 1 to 255 characters")]
    [InlineData("a\nb", "Idempotency-Key must not contain control characters")]
    public void RejectsBadIdempotencyKeys(string key, string message)
    {
        Assert.Equal(message, ConsumeRequest.ValidateIdempotencyKey(key));
        Assert.Null(ConsumeRequest.ValidateIdempotencyKey("order-42"));
    }

    [Fact]
    public async Task BareParseEndpointAnswersWithTheParsedTokensAndRefusesBrokenJson()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = Catalog.CatalogSilo.Start(database, configure: null, Catalog.CatalogSilo.DefaultNow, new Dictionary<string, string> { ["Billing:LoadTest:BareEndpointEnabled"] = "true" });
        var client = silo.Admin;

        using var ok = await client.PostAsJsonAsync("/api/v1/loadtest/parse", new { tokens = 3, description = "x" });
        using var broken = await client.PostAsync(new Uri("/api/v1/loadtest/parse", UriKind.Relative), new StringContent("{\"tokens\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("{\"tokens\":3}", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("\"code\":\"invalid_json\"", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
