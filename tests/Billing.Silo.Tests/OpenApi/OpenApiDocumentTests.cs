using Billing.Silo.OperatorConsole;
using System.Net;
using System.Text.Json;
using Billing.Silo.Api.Docs;
using Billing.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.OpenApi;

public sealed class OpenApiDocumentTests(OpenApiSilo silo) : IClassFixture<OpenApiSilo>
{
    [Fact]
    public void EveryMappedEndpointIsInTheDocument()
    {
        var described = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in silo.Document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                described.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
            }
        }

        var mapped = silo.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsDocsOrAsset(e))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any method)"]).Select(m => $"{m} {OpenApiSilo.OpenApiPath(e)}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var missing = mapped.Where(m => !described.Contains(m)).Order(StringComparer.Ordinal).ToList();

        Assert.True(mapped.Count > 80, $"only {mapped.Count} endpoints found: is the route table read after start?");
        Assert.True(missing.Count == 0, $"{missing.Count} endpoint(s) missing from /openapi/v1.json:\n{string.Join("\n", missing)}");
        var ids = silo.Document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject())
            .Select(o => o.Value.TryGetProperty("operationId", out var id) ? id.GetString() : null).OfType<string>().ToList();
        Assert.Empty(ids.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void ConsumeIsDescribedWithItsBodyAnswersCodesAndKey()
    {
        var consume = silo.Document.GetProperty("paths").GetProperty("/api/v1/billing/tokens/consume").GetProperty("post");

        Assert.Equal("ConsumeTokens", consume.GetProperty("operationId").GetString());
        Assert.Equal(
            ["description", "endpoint", "method", "occurred_at", "status_code", "tokens"],
            PropertyNames(Schema(consume.GetProperty("requestBody").GetProperty("content").GetProperty("application/json"))));
        Assert.Equal(["tokens"], [.. Schema(consume.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")).GetProperty("required").EnumerateArray().Select(r => r.GetString()!)]);
        var idempotencyKey = Assert.Single(consume.GetProperty("parameters").EnumerateArray());
        Assert.Equal(("Idempotency-Key", "header"), (idempotencyKey.GetProperty("name").GetString(), idempotencyKey.GetProperty("in").GetString()));
        Assert.False(idempotencyKey.TryGetProperty("required", out var required) && required.GetBoolean());
        Assert.Equal(
            ["tokens_remaining", "usage_id", "used_tokens"],
            PropertyNames(Schema(consume.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json"))));
        var codes = consume.GetProperty("x-problem-codes");
        Assert.Equal(["invalid_json", "invalid_request"], Codes(codes, "400"));
        Assert.Equal(["invalid_api_key"], Codes(codes, "401"));
        Assert.Equal(["insufficient_tokens", "account_suspended"], Codes(codes, "402"));
        Assert.Equal(["no_active_subscription"], Codes(codes, "403"));
        Assert.Equal(["idempotency_key_reused"], Codes(codes, "422"));
        Assert.Equal(["too_many_failed_authentications", "rate_limited"], Codes(codes, "429"));
        Assert.Equal(["journal_unavailable", "silo_unavailable", "overloaded", "storage_unavailable"], Codes(codes, "503"));
        var problem = consume.GetProperty("responses").GetProperty("402");
        Assert.Contains("`insufficient_tokens`", problem.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("#/components/schemas/Problem", problem.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal(["api_key", "api_key_header"], Schemes(consume));
    }

    [Fact]
    public void AdminOperationsNeedTheAdminKeyAndSecuritySchemesAreDeclared()
    {
        var createPlan = silo.Document.GetProperty("paths").GetProperty("/api/v1/admin/plans").GetProperty("post");
        var schemes = silo.Document.GetProperty("components").GetProperty("securitySchemes");

        Assert.Equal(["admin_key"], Schemes(createPlan));
        Assert.Equal(["unauthorized"], Codes(createPlan.GetProperty("x-problem-codes"), "401"));
        Assert.Equal(["invalid_json", "invalid_request", "invalid_plan"], Codes(createPlan.GetProperty("x-problem-codes"), "400"));
        Assert.Equal("bearer", schemes.GetProperty("admin_key").GetProperty("scheme").GetString());
        Assert.Equal("bearer", schemes.GetProperty("api_key").GetProperty("scheme").GetString());
        Assert.Equal("X-API-Key", schemes.GetProperty("api_key_header").GetProperty("name").GetString());
        Assert.False(silo.Document.GetProperty("paths").GetProperty("/health").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task DocsServeTheReferenceUiAsHtmlWithItsOwnScript()
    {
        using var client = silo.Factory.CreateClient();

        using var response = await client.GetAsync(new Uri(ApiDocs.UiPath, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Billing.Orleans API</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The UI's script comes from the silo, not from a CDN.
        using var script = await client.GetAsync(new Uri("/docs/scalar.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task ProblemsTheSiloAnswersAreAmongTheDocumentedCodes()
    {
        using var anonymous = silo.Factory.CreateClient();
        using var admin = silo.Factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Catalog.CatalogSilo.AdminKey);

        await AssertDocumentedAsync(anonymous, HttpMethod.Post, "/api/v1/billing/tokens/consume", "/api/v1/billing/tokens/consume", """{"tokens":1}""", "invalid_api_key");
        await AssertDocumentedAsync(anonymous, HttpMethod.Get, "/api/v1/admin/customers", "/api/v1/admin/customers", null, "unauthorized");
        await AssertDocumentedAsync(admin, HttpMethod.Post, "/api/v1/admin/plans", "/api/v1/admin/plans", "{", "invalid_json");
        await AssertDocumentedAsync(admin, HttpMethod.Post, "/api/v1/admin/plans", "/api/v1/admin/plans", """{"name":""}""", "invalid_plan");
        await AssertDocumentedAsync(admin, HttpMethod.Get, "/api/v1/admin/customers/cus_missing", "/api/v1/admin/customers/{id}", null, "customer_not_found");
        await AssertDocumentedAsync(admin, HttpMethod.Get, "/api/v1/admin/analytics/mrr?from=2026-13&to=2026-12", "/api/v1/admin/analytics/mrr", null, "invalid_month");
        await AssertDocumentedAsync(admin, HttpMethod.Post, "/api/billing-scheduler/process-shop-billing/shop_missing", "/api/billing-scheduler/process-shop-billing/{shopId}", null, "shop_not_found");
        await AssertDocumentedAsync(admin, HttpMethod.Get, "/dashboard/SiloMetadata/not-a-silo", "/dashboard/SiloMetadata/{address}", null, "silo_not_found");
        // A field name beyond the form reader's 2 KiB key limit.
        using var form = new StringContent(new string('k', 3_000) + "=v", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await AssertDocumentedBodyAsync(anonymous, HttpMethod.Post, "/dashboard/login", "/dashboard/login", form, "invalid_form");
    }

    [Fact]
    public async Task DocsCanBeTurnedOff()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var root = new SiloFactory(database);
        using var client = root.WithWebHostBuilder(builder => builder.UseSetting("Billing:Docs:Enabled", "false")).CreateClient();

        using var document = await client.GetAsync(new Uri(ApiDocs.DocumentPath, UriKind.Relative));
        using var ui = await client.GetAsync(new Uri(ApiDocs.UiPath, UriKind.Relative));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (document.StatusCode, ui.StatusCode));
    }

    /// <summary>The request is answered with <paramref name="code"/>, which the document lists for that operation and status.</summary>
    private Task AssertDocumentedAsync(HttpClient client, HttpMethod method, string url, string path, string? json, string code) =>
        AssertDocumentedBodyAsync(client, method, url, path, json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json"), code);

    private async Task AssertDocumentedBodyAsync(HttpClient client, HttpMethod method, string url, string path, HttpContent? content, string code)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Content = content;

        using var response = await client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((url, code), (url, body.RootElement.GetProperty("code").GetString()));
        var operation = silo.Document.GetProperty("paths").GetProperty(path).GetProperty(method.Method.ToLowerInvariant());
        Assert.Contains(code, Codes(operation.GetProperty("x-problem-codes"), status));
    }

    /// <summary>The document's own endpoints, the reference UI's, and the Orleans dashboard's page and static files.</summary>
    // The operator console's pages are for people; its login and logout are described, as the dashboard's.
    private static bool IsConsolePage(string path) =>
        (path == ConsolePaths.Root || path.StartsWith(ConsolePaths.Root + "/", StringComparison.Ordinal)) && path != ConsolePaths.Area.Login && path != ConsolePaths.Area.Logout;

    private static bool IsDocsOrAsset(RouteEndpoint endpoint)
    {
        var path = OpenApiSilo.OpenApiPath(endpoint);
        return path.StartsWith("/openapi/", StringComparison.Ordinal) || path == ApiDocs.UiPath || path.StartsWith(ApiDocs.UiPath + "/", StringComparison.Ordinal)
            || ApiDocs.IsDashboardAsset(path) || IsConsolePage(path);
    }

    private JsonElement Schema(JsonElement mediaType)
    {
        var schema = mediaType.GetProperty("schema");
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var name = reference.GetString()!["#/components/schemas/".Length..];
        return silo.Document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    private static string[] PropertyNames(JsonElement schema) =>
        [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static string[] Codes(JsonElement problemCodes, string status) =>
        [.. problemCodes.GetProperty(status).EnumerateArray().Select(c => c.GetString()!)];

    private static string[] Schemes(JsonElement operation) =>
        [.. operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name))];
}
