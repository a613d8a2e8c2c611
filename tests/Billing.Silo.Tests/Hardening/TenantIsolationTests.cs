using System.Net;
using System.Text;
using Billing.Silo.Api.Docs;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Silo.Tests.OpenApi;
using Billing.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Billing.Silo.Tests.Hardening.TenantScenario;

namespace Billing.Silo.Tests.Hardening;

/// <summary>
/// Tenant isolation: every endpoint an API key opens is aimed by shop A's key at customer B's things. Named ids
/// answer A 404 with the resource's code; endpoints without an id act on A alone and show nothing of B.
/// B's own views and rows are the same afterwards.
/// </summary>
public sealed class TenantIsolationTests
{
    private const string CardField = "\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"}";

    // Stands in a probe's body for the target's shop id.
    private const string TargetShop = "{target-shop}";

    // CatalogSilo's own probe of the key filter, not a product endpoint.
    private const string TestHostEndpoint = "GET /test/whoami";

    /// <summary>
    /// Endpoint ("METHOD /route") → A's request aimed at B, and what A gets. A new customer endpoint must be
    /// added here, or <see cref="EveryCustomerEndpointIsAimedAtAnotherCustomer"/> fails naming it. Order matters
    /// for one pair: A saves a card before it asks to pay B's invoice, so A could be charged for it if unguarded.
    /// </summary>
    private static readonly Probe[] Probes =
    [
        new("GET /api/v1/billing/plans", _ => "/api/v1/billing/plans"),
        new("POST /api/v1/billing/tokens/consume", _ => "/api/v1/billing/tokens/consume", ConsumeBody, IdempotencyKey: SharedIdempotencyKey),
        // A body cannot name another shop or customer: the fields do not exist, and unknown fields are refused.
        new("POST /api/v1/billing/tokens/consume", _ => "/api/v1/billing/tokens/consume", $$"""{"tokens":1,"shop_id":"{{TargetShop}}"}""", HttpStatusCode.BadRequest, "invalid_request"),
        new("POST /api/v1/usage/batch", _ => "/api/v1/usage/batch", """{"events":[{"tokens":1}]}"""),
        new("POST /api/v1/usage/batch", _ => "/api/v1/usage/batch", $$"""{"events":[{"tokens":1,"customer_id":"{{TargetShop}}"}]}""", HttpStatusCode.BadRequest, "invalid_request"),
        new("GET /api/v1/usage", _ => "/api/v1/usage"),
        new("GET /api/v1/billing/subscription", _ => "/api/v1/billing/subscription"),
        new("POST /api/v1/usage/revenue", _ => "/api/v1/usage/revenue", $$"""{"events":[{"order_id":"{{SharedOrderId}}","amount":99.00}]}"""),
        new("GET /api/v1/billing/invoices", _ => "/api/v1/billing/invoices"),
        new("GET /api/v1/billing/invoices/{id}", b => $"/api/v1/billing/invoices/{b.InvoiceId}", Status: HttpStatusCode.NotFound, Code: "invoice_not_found"),
        new("GET /api/v1/billing/invoices/{id}", b => $"/api/v1/billing/invoices/{b.InvoiceId}.html", Status: HttpStatusCode.NotFound, Code: "invoice_not_found"),
        new("GET /api/v1/billing/invoices/{id}", b => $"/api/v1/billing/invoices/{b.InvoiceId}.csv", Status: HttpStatusCode.NotFound, Code: "invoice_not_found"),
        new("GET /api/v1/billing/invoices/{id}/credit-notes", b => $"/api/v1/billing/invoices/{b.InvoiceId}/credit-notes", Status: HttpStatusCode.NotFound, Code: "invoice_not_found"),
        new("GET /api/v1/billing/credit-notes/{id}", b => $"/api/v1/billing/credit-notes/{b.CreditNoteId}", Status: HttpStatusCode.NotFound, Code: "credit_note_not_found"),
        new("GET /api/v1/billing/credit-notes/{id}/html", b => $"/api/v1/billing/credit-notes/{b.CreditNoteId}/html", Status: HttpStatusCode.NotFound, Code: "credit_note_not_found"),
        new("GET /api/v1/billing/periods", _ => "/api/v1/billing/periods"),
        new("POST /api/v1/billing/purchase", _ => "/api/v1/billing/purchase", "", Status: HttpStatusCode.OK),
        new("GET /api/v1/billing/payments", _ => "/api/v1/billing/payments"),
        new("GET /api/v1/billing/payments", b => $"/api/v1/billing/payments?after={b.PaymentId}", Status: HttpStatusCode.BadRequest, Code: "invalid_query"),
        new("GET /api/v1/billing/payments/{paymentId}", b => $"/api/v1/billing/payments/{b.PaymentId}", Status: HttpStatusCode.NotFound, Code: "payment_not_found"),
        new("POST /api/v1/billing/payments/{paymentId}/confirm", b => $"/api/v1/billing/payments/{b.PaymentId}/confirm", "", Status: HttpStatusCode.NotFound, Code: "payment_not_found"),
        new("POST /api/v1/billing/payment-methods", _ => "/api/v1/billing/payment-methods", "{" + CardField + "}", Status: HttpStatusCode.Created),
        new("GET /api/v1/billing/payment-methods", _ => "/api/v1/billing/payment-methods"),
        new("GET /api/v1/billing/payment-methods/{methodId}", b => $"/api/v1/billing/payment-methods/{b.MethodId}", Status: HttpStatusCode.NotFound, Code: "payment_method_not_found"),
        new("POST /api/v1/billing/payment-methods/{methodId}/default", b => $"/api/v1/billing/payment-methods/{b.MethodId}/default", "", Status: HttpStatusCode.NotFound, Code: "payment_method_not_found"),
        new("DELETE /api/v1/billing/payment-methods/{methodId}", b => $"/api/v1/billing/payment-methods/{b.MethodId}", Status: HttpStatusCode.NotFound, Code: "payment_method_not_found"),
        new("GET /api/v1/billing/invoices/{invoiceId}/collection", b => $"/api/v1/billing/invoices/{b.InvoiceId}/collection", Status: HttpStatusCode.NotFound, Code: "collection_not_found"),
        new("POST /api/v1/billing/invoices/{invoiceId}/pay", b => $"/api/v1/billing/invoices/{b.InvoiceId}/pay", "", Status: HttpStatusCode.NotFound, Code: "collection_not_found"),
        // A bought no recurring plan: its renewal is 404; B's scheduled renewal must not be the one read, cancelled or resumed.
        new("GET /api/v1/billing/renewal", _ => "/api/v1/billing/renewal", Status: HttpStatusCode.NotFound, Code: "renewal_not_found"),
        new("DELETE /api/v1/billing/renewal", _ => "/api/v1/billing/renewal", Status: HttpStatusCode.NotFound, Code: "renewal_not_found"),
        new("POST /api/v1/billing/renewal/resume", _ => "/api/v1/billing/renewal/resume", "", Status: HttpStatusCode.NotFound, Code: "renewal_not_found"),
    ];

    [Fact]
    public async Task EveryCustomerEndpointIsAimedAtAnotherCustomer()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, configure: null, now: Start, BillingScenario.RunsOnly);

        var customerEndpoints = CustomerEndpoints(silo);
        var probed = Probes.Select(p => p.Endpoint).ToHashSet(StringComparer.Ordinal);

        Assert.True(customerEndpoints.Count >= 26, $"only {customerEndpoints.Count} customer endpoints found: is the route table read after start?");
        var missing = customerEndpoints.Where(e => !probed.Contains(e) && e != TestHostEndpoint).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} customer endpoint(s) without an isolation probe in {nameof(TenantIsolationTests)}.{nameof(Probes)}:\n{string.Join("\n", missing)}");
        Assert.DoesNotContain(probed, p => !customerEndpoints.Contains(p));
    }

    /// <summary>Endpoints that answer for the key's shop alone, not its customer: aimed at a sibling shop of the same customer too.</summary>
    private static readonly HashSet<string> ShopScoped = new(StringComparer.Ordinal)
    {
        "GET /api/v1/billing/invoices", "GET /api/v1/billing/invoices/{id}", "GET /api/v1/billing/invoices/{id}/credit-notes",
        "GET /api/v1/billing/periods", "GET /api/v1/usage",
    };

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ShopAsKeyNeitherReadsNorChangesAnythingOfAnotherCustomer(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: Start, BillingScenario.RunsOnly);
        var (a, b, sibling) = await TwoCustomersAsync(silo);
        var oneOff = await silo.PostAsync("/api/v1/admin/plans", new { name = "Pack", price = 5.00m, currency = "EUR", tokens_included = 100, duration_days = 30, is_recurring = false });
        var purchase = $$"""{"plan_id":"{{oneOff.GetProperty("id").GetString()}}",""" + CardField + "}";
        var before = await ViewsAsync(silo, b);
        var usageBefore = await UsedTokensAsync(silo, a);

        var failures = new List<string>();
        foreach (var probe in Probes)
        {
            failures.AddRange(await SendAsync(silo, a, b, probe, probe.Endpoint == "POST /api/v1/billing/purchase" ? purchase : probe.Body));
        }

        foreach (var probe in Probes.Where(p => ShopScoped.Contains(p.Endpoint)))
        {
            failures.AddRange(await SendAsync(silo, a, sibling, probe, probe.Body));
        }

        var after = await ViewsAsync(silo, b);
        failures.AddRange(before.Where(v => after[v.Key] != v.Value).Select(v => $"B's {v.Key} changed:\n  before {v.Value}\n  after  {after[v.Key]}"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The consume and the batch acted on A: its tokens moved by their two.
        Assert.Equal(usageBefore + 2, await UsedTokensAsync(silo, a));
    }

    /// <summary>Sends <paramref name="probe"/> with A's key aimed at <paramref name="target"/>; the failures, if any.</summary>
    private static async Task<IReadOnlyList<string>> SendAsync(CatalogSilo silo, Tenant a, Tenant target, Probe probe, string? body)
    {
        using var client = BillingScenario.Client(silo, a.Key);
        var method = probe.Endpoint[..probe.Endpoint.IndexOf(' ', StringComparison.Ordinal)];
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(probe.Path(target), UriKind.Relative));
        if (body is not null)
        {
            request.Content = body.Length == 0 ? null : new StringContent(body.Replace(TargetShop, target.ShopId, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        }

        if (probe.IdempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", probe.IdempotencyKey);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var what = $"{probe.Endpoint} as {probe.Path(target)}";
        var failures = new List<string>();
        if (response.StatusCode != probe.Status)
        {
            failures.Add($"{what}: expected {(int)probe.Status}, got {(int)response.StatusCode}: {text}");
        }
        else if (probe.Code is not null && !text.Contains($"\"code\":\"{probe.Code}\"", StringComparison.Ordinal))
        {
            failures.Add($"{what}: expected code {probe.Code}: {text}");
        }

        if (probe.Code is null)
        {
            failures.AddRange(target.Ids.Where(id => id.Length > 0 && text.Contains(id, StringComparison.Ordinal)).Select(id => $"{what}: A's answer shows the other's {id}: {text}"));
        }

        if (response.Headers.Contains("Idempotent-Replayed"))
        {
            failures.Add($"{what}: A was answered with a replay of another request: {text}");
        }

        return failures;
    }

    private static async Task<long> UsedTokensAsync(CatalogSilo silo, Tenant tenant) =>
        await BillingScenario.CountAsync(silo, $"SELECT COALESCE(SUM(tokens), 0) FROM usage_events WHERE shop_id = '{tenant.ShopId}'");

    /// <summary>"METHOD /route" of every endpoint behind <c>RequireApiKey()</c>, from the silo's route table.</summary>
    private static HashSet<string> CustomerEndpoints(CatalogSilo silo) =>
        silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ApiCredentialMetadata>()?.Credential == ApiCredential.ApiKey)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any method)"]).Select(m => $"{m} {OpenApiSilo.OpenApiPath(e)}"))
            .ToHashSet(StringComparer.Ordinal);

    /// <param name="Endpoint">"METHOD /route pattern" as the route table has it.</param>
    /// <param name="Path">The request path aimed at B's resource.</param>
    /// <param name="Body">JSON body; "" for a POST without one; null for none.</param>
    private sealed record Probe(
        string Endpoint, Func<Tenant, string> Path, string? Body = null, HttpStatusCode Status = HttpStatusCode.OK, string? Code = null, string? IdempotencyKey = null);
}
