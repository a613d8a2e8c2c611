using System.Net;
using Billing.Testing;

namespace Billing.Silo.Tests.Catalog;

public sealed class AdminCustomerApiTests
{
    private const string Customers = "/api/v1/admin/customers";
    private const string UnknownCustomer = "cus_0123456789abcdefghij";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CreatedCustomerTakesDefaultsAndReadsBackExactly(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var created = await silo.PostAsync(Customers, new { name = " Acme Corporation ", email = "billing@acme.com" });
        var id = created.GetProperty("id").GetString()!;
        var read = await silo.GetAsync(silo.Admin, $"{Customers}/{id}");

        Assert.Matches("^cus_[0-9A-Za-z]{20}$", id);
        var expected = $$"""{"id":"{{id}}","name":"Acme Corporation","email":"billing@acme.com","currency":"EUR","time_zone":"UTC","vat_rate":0.21}""";
        Assert.Equal(expected, created.GetRawText());
        Assert.Equal(expected, read.GetRawText());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task GivenCurrencyZoneAndVatRateAreStoredExactly(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var created = await silo.PostAsync(Customers, new { name = "Nihon KK", email = "a@nihon.jp", currency = "jpy", time_zone = "Asia/Tokyo", vat_rate = 0.1025 });
        var read = await silo.GetAsync(silo.Admin, $"{Customers}/{created.GetProperty("id").GetString()}");

        Assert.Equal("JPY", read.GetProperty("currency").GetString());
        Assert.Equal("Asia/Tokyo", read.GetProperty("time_zone").GetString());
        Assert.Equal(0.1025m, read.GetProperty("vat_rate").GetDecimal());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task InvalidCustomerIs400InvalidCustomerNamingEveryField(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.PostAsync(
            Customers, new { name = "Acme", email = "acme.com", currency = "EURO", time_zone = "Europe/Atlantis", vat_rate = 1.5 }, HttpStatusCode.BadRequest);

        Assert.Equal("invalid_customer", problem.GetProperty("code").GetString());
        Assert.Equal(
            """{"currency":["currency 'EURO' is not supported; use one of AUD, BHD, CAD, CHF, CZK, DKK, EUR, GBP, HUF, JPY, KWD, NOK, NZD, PLN, SEK, USD"],"email":["email must be an address like billing@example.com, at most 254 characters"],"vat_rate":["vat_rate must be between 0 and 1 (0.21 is 21 %)"],"time_zone":["time_zone 'Europe/Atlantis' is not an IANA time zone such as Europe/Amsterdam"]}""",
            problem.GetProperty("errors").GetRawText());
    }

    [Theory]
    [InlineData("sqlite", UnknownCustomer)]
    [InlineData("postgres", UnknownCustomer)]
    [InlineData("sqlite", "cus_short")]
    [InlineData("sqlite", "shop_0123456789abcdefghij")]
    public async Task UnknownCustomerIs404CustomerNotFound(string dialect, string id)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.GetAsync(silo.Admin, $"{Customers}/{id}", HttpStatusCode.NotFound);

        Assert.Equal("customer_not_found", problem.GetProperty("code").GetString());
        Assert.Equal($"There is no customer with id '{id}'.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ShopOfAKnownCustomerIs201(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var customerId = (await silo.PostAsync(Customers, new { name = "Acme", email = "billing@acme.com" })).GetProperty("id").GetString();

        var shop = await silo.PostAsync($"{Customers}/{customerId}/shops", new { name = "Web shop" });

        var id = shop.GetProperty("id").GetString()!;
        Assert.Matches("^shop_[0-9A-Za-z]{20}$", id);
        Assert.Equal($$"""{"id":"{{id}}","customer_id":"{{customerId}}","name":"Web shop"}""", shop.GetRawText());
    }

    [Theory]
    [InlineData("sqlite", UnknownCustomer)]
    [InlineData("postgres", UnknownCustomer)]
    [InlineData("sqlite", "nonsense")]
    public async Task ShopOfAnUnknownCustomerIs404CustomerNotFound(string dialect, string customerId)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.PostAsync($"{Customers}/{customerId}/shops", new { name = "Web shop" }, HttpStatusCode.NotFound);

        Assert.Equal("customer_not_found", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ShopWithoutANameIs400InvalidShopAndMalformedJsonIs400InvalidJson(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var customerId = (await silo.PostAsync(Customers, new { name = "Acme", email = "billing@acme.com" })).GetProperty("id").GetString();

        var unnamed = await silo.PostAsync($"{Customers}/{customerId}/shops", new { name = "   " }, HttpStatusCode.BadRequest);
        var tooLong = await silo.PostAsync($"{Customers}/{customerId}/shops", new { name = new string('s', 101) }, HttpStatusCode.BadRequest);
        var malformed = await silo.PostRawAsync(silo.Admin, $"{Customers}/{customerId}/shops", "{\"name\":", "application/json", HttpStatusCode.BadRequest);

        Assert.Equal("invalid_shop", unnamed.GetProperty("code").GetString());
        Assert.Equal("name is required.", unnamed.GetProperty("detail").GetString());
        Assert.Equal("name must be at most 100 characters (got 101).", tooLong.GetProperty("detail").GetString());
        Assert.Equal("invalid_json", malformed.GetProperty("code").GetString());
    }

    [Fact]
    public async Task CustomerFieldOfTheWrongTypeIs400InvalidRequestNamingIt()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.PostRawAsync(silo.Admin, Customers, "{\"vat_rate\": \"a lot\"}", "application/json", HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.Equal("vat_rate must be a number (a JSON number, not a string).", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task CustomerEndpointsNeedTheAdminKey()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        using var anonymous = silo.CreateClient();

        var read = await silo.GetAsync(anonymous, $"{Customers}/{UnknownCustomer}", HttpStatusCode.Unauthorized);
        var create = await silo.PostRawAsync(anonymous, Customers, "{}", "application/json", HttpStatusCode.Unauthorized);
        var shop = await silo.PostRawAsync(anonymous, $"{Customers}/{UnknownCustomer}/shops", "{}", "application/json", HttpStatusCode.Unauthorized);

        Assert.All(new[] { read, create, shop }, p => Assert.Equal("unauthorized", p.GetProperty("code").GetString()));
    }
}
