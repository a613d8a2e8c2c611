using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;

namespace Billing.Silo.Tests.Catalog;

public sealed class AdminCatalogQueryApiTests
{
    private const string Admin = "/api/v1/admin";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task EveryLocationHeaderTheAdminApiReturnsAnswers200WithTheCreatedObject(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var plan = new { name = "Basic Plan", price = 15, currency = "EUR", tokens_included = 1000, duration_days = 30, is_recurring = true };

        var (planLocation, planBody) = await CreateAsync(silo, $"{Admin}/plans", plan);
        var (customerLocation, customerBody) = await CreateAsync(silo, $"{Admin}/customers", new { name = "Acme", email = "billing@acme.com" });
        var (shopLocation, shopBody) = await CreateAsync(silo, $"{Admin}/customers/{customerBody.GetProperty("id").GetString()}/shops", new { name = "Web shop" });
        var (keyLocation, keyBody) = await CreateAsync(silo, $"{Admin}/shops/{shopBody.GetProperty("id").GetString()}/api-keys", new { name = "production" });

        Assert.Equal(planBody.GetRawText(), (await silo.GetAsync(silo.Admin, planLocation)).GetRawText());
        Assert.Equal(customerBody.GetRawText(), (await silo.GetAsync(silo.Admin, customerLocation)).GetRawText());
        Assert.Equal(shopBody.GetRawText(), (await silo.GetAsync(silo.Admin, shopLocation)).GetRawText());
        var key = await silo.GetAsync(silo.Admin, keyLocation);
        Assert.Equal(
            $$"""{"id":"{{keyBody.GetProperty("id").GetString()}}","shop_id":"{{shopBody.GetProperty("id").GetString()}}","name":"production","prefix":"{{keyBody.GetProperty("prefix").GetString()}}","created_at":"2026-11-21T12:00:00+00:00","revoked_at":null}""",
            key.GetRawText());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TheLocationsOfPricePlansPaymentMethodsAndBillingRunsAnswer200(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, _, _, key) = await silo.IssueKeyAsync();
        using var customer = silo.CreateClient();
        customer.DefaultRequestHeaders.Add("X-API-Key", key);
        var pricePlan = new { name = "Screens", currency = "EUR", charges = new[] { new { type = "per_seat", service = "Screens", price_per_seat = 5 } } };

        var (pricePlanLocation, pricePlanBody) = await CreateAsync(silo, $"{Admin}/price-plans", pricePlan);
        using var saved = await customer.PostAsJsonAsync("/api/v1/billing/payment-methods", new { card = new { number = "4242424242424242", exp_month = 12, exp_year = 2030, cvc = "123" } });
        var methodBody = await CatalogSilo.ReadAsync(saved, HttpStatusCode.Created);
        using var run = await silo.Admin.PostAsJsonAsync("/api/billing-scheduler/process-monthly-billing", new { wait = false, dry_run = true });
        await CatalogSilo.ReadAsync(run, HttpStatusCode.Accepted);

        Assert.Equal(pricePlanBody.GetRawText(), (await silo.GetAsync(silo.Admin, pricePlanLocation)).GetRawText());
        Assert.Equal(methodBody.GetRawText(), (await silo.GetAsync(customer, saved.Headers.Location!.OriginalString)).GetRawText());
        Assert.StartsWith("run_", (await silo.GetAsync(silo.Admin, run.Headers.Location!.OriginalString)).GetProperty("run_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("payment_method_not_found", (await silo.GetAsync(customer, $"/api/v1/billing/payment-methods/{Guid.Empty}", HttpStatusCode.NotFound)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("sqlite", "plans/plan_0123456789abcdefghij", "plan_not_found")]
    [InlineData("postgres", "plans/plan_0123456789abcdefghij", "plan_not_found")]
    [InlineData("sqlite", "shops/shop_0123456789abcdefghij", "shop_not_found")]
    [InlineData("postgres", "shops/shop_0123456789abcdefghij", "shop_not_found")]
    [InlineData("sqlite", "api-keys/key_0123456789abcdefghij", "api_key_not_found")]
    [InlineData("postgres", "api-keys/key_0123456789abcdefghij", "api_key_not_found")]
    [InlineData("sqlite", "api-keys/nonsense", "api_key_not_found")]
    public async Task AnUnknownObjectIs404WithItsCode(string dialect, string path, string code)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.GetAsync(silo.Admin, $"{Admin}/{path}", HttpStatusCode.NotFound);

        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CustomersAreSearchedByAPrefixOfNameOrEmailInAnyCaseAndPaged(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var acme = await CustomerAsync(silo, "Acme Corporation", "billing@acme.com");
        var ölbank = await CustomerAsync(silo, "Ölbank AG", "konto@oelbank.de");
        var zeta = await CustomerAsync(silo, "Zeta", "ACCOUNTS@zeta.io");

        Assert.Equal([acme], await IdsAsync(silo, "customers?q=acme", "customers"));
        Assert.Equal([ölbank], await IdsAsync(silo, "customers?q=%C3%B6LB", "customers"));
        Assert.Equal([zeta], await IdsAsync(silo, "customers?q=accounts@", "customers"));
        Assert.Empty(await IdsAsync(silo, "customers?q=corporation", "customers"));
        var first = await silo.GetAsync(silo.Admin, $"{Admin}/customers?limit=2");
        Assert.Equal(ölbank, first.GetProperty("next_after").GetString());
        Assert.Equal([acme, ölbank], Ids(first, "customers"));
        var second = await silo.GetAsync(silo.Admin, $"{Admin}/customers?limit=2&after={ölbank}");
        Assert.Equal([zeta], Ids(second, "customers"));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_after").ValueKind);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ShopsAreFilteredByCustomerAndNamePrefixAndKeysByShopAndPrefix(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (customerId, webShop, keyId, key) = await silo.IssueKeyAsync();
        var other = await CustomerAsync(silo, "Other", "o@other.com");
        var otherShop = (await silo.PostAsync($"{Admin}/customers/{other}/shops", new { name = "Web outlet" })).GetProperty("id").GetString()!;
        silo.Time.Advance(TimeSpan.FromSeconds(1));
        var secondKey = (await silo.PostAsync($"{Admin}/shops/{webShop}/api-keys", new { name = "staging" })).GetProperty("id").GetString()!;
        using (var revoke = await silo.Admin.DeleteAsync(new Uri($"{Admin}/api-keys/{keyId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        Assert.Equal([webShop, otherShop], await IdsAsync(silo, "shops?q=WEB", "shops"));
        Assert.Equal([otherShop], await IdsAsync(silo, $"shops?q=web&customer_id={other}", "shops"));
        Assert.Equal([webShop], await IdsAsync(silo, $"shops?customer_id={customerId}", "shops"));
        Assert.Equal([keyId, secondKey], await IdsAsync(silo, $"api-keys?shop_id={webShop}", "api_keys"));
        var byPrefix = await silo.GetAsync(silo.Admin, $"{Admin}/api-keys?prefix={key.Split('_')[2]}");
        var listed = Assert.Single(byPrefix.GetProperty("api_keys").EnumerateArray());
        Assert.Equal(keyId, listed.GetProperty("id").GetString());
        Assert.Equal("2026-11-21T12:00:02+00:00", listed.GetProperty("revoked_at").GetString());
        Assert.Empty(await IdsAsync(silo, $"api-keys?shop_id={otherShop}", "api_keys"));
    }

    [Theory]
    [InlineData("customers?q=")]
    [InlineData("customers?limit=0")]
    [InlineData("customers?after=shop_0123456789abcdefghij")]
    [InlineData("shops?customer_id=nonsense")]
    [InlineData("api-keys?shop_id=cus_0123456789abcdefghij")]
    [InlineData("api-keys?prefix=abc")]
    public async Task AMalformedListQueryIs400InvalidQuery(string query)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.GetAsync(silo.Admin, $"{Admin}/{query}", HttpStatusCode.BadRequest);
        var tooLong = await silo.GetAsync(silo.Admin, $"{Admin}/customers?q={new string('a', 101)}", HttpStatusCode.BadRequest);

        Assert.Equal("invalid_query", problem.GetProperty("code").GetString());
        Assert.Equal("q must be 1 to 100 characters.", tooLong.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("GET", "plans/plan_0123456789abcdefghij")]
    [InlineData("GET", "customers")]
    [InlineData("GET", "shops")]
    [InlineData("GET", "shops/shop_0123456789abcdefghij")]
    [InlineData("GET", "api-keys")]
    [InlineData("GET", "api-keys/key_0123456789abcdefghij")]
    [InlineData("PATCH", "customers/cus_0123456789abcdefghij")]
    public async Task TheOperatorsReadsNeedTheAdminKey(string method, string path)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        using var anonymous = silo.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri($"{Admin}/{path}", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", "not-the-admin-key");

        using var response = await anonymous.SendAsync(request);
        var problem = await CatalogSilo.ReadAsync(response, HttpStatusCode.Unauthorized);

        Assert.Equal("unauthorized", problem.GetProperty("code").GetString());
    }

    internal static async Task<(string Location, JsonElement Body)> CreateAsync(CatalogSilo silo, string path, object body)
    {
        using var response = await silo.Admin.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var created = await CatalogSilo.ReadAsync(response, HttpStatusCode.Created);
        return (response.Headers.Location!.OriginalString, created);
    }

    /// <summary>A customer created a second after the last object: lists order by creation time, then by (random) id.</summary>
    internal static async Task<string> CustomerAsync(CatalogSilo silo, string name, string email)
    {
        silo.Time.Advance(TimeSpan.FromSeconds(1));
        return (await silo.PostAsync($"{Admin}/customers", new { name, email })).GetProperty("id").GetString()!;
    }

    private static async Task<string[]> IdsAsync(CatalogSilo silo, string query, string member) => Ids(await silo.GetAsync(silo.Admin, $"{Admin}/{query}"), member);

    private static string[] Ids(JsonElement page, string member) => [.. page.GetProperty(member).EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
}
