using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;

namespace Billing.Silo.Tests.Catalog;

public sealed class AdminCustomerUpdateTests
{
    private const string Customers = "/api/v1/admin/customers";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task PatchChangesOnlyTheGivenFieldsAndTheSearchFindsTheNewName(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var id = await AdminCatalogQueryApiTests.CustomerAsync(silo, "Acme", "billing@acme.com");

        var patched = await PatchAsync(silo, id, new { name = " Acme Europe B.V. ", vat_rate = 0.09m, time_zone = "Europe/Amsterdam" }, HttpStatusCode.OK);
        var emailOnly = await PatchAsync(silo, id, new { email = "finance@acme.eu" }, HttpStatusCode.OK);
        var read = await silo.GetAsync(silo.Admin, $"{Customers}/{id}");
        var found = await silo.GetAsync(silo.Admin, $"{Customers}?q=acme%20eu");
        var byNewEmail = await silo.GetAsync(silo.Admin, $"{Customers}?q=FINANCE@");
        var byOldEmail = await silo.GetAsync(silo.Admin, $"{Customers}?q=billing@");

        var expected = $$"""{"id":"{{id}}","name":"Acme Europe B.V.","email":"finance@acme.eu","currency":"EUR","time_zone":"Europe/Amsterdam","vat_rate":0.09}""";
        Assert.Equal(
            $$"""{"id":"{{id}}","name":"Acme Europe B.V.","email":"billing@acme.com","currency":"EUR","time_zone":"Europe/Amsterdam","vat_rate":0.09}""",
            patched.GetRawText());
        Assert.Equal(expected, emailOnly.GetRawText());
        Assert.Equal(expected, read.GetRawText());
        Assert.Equal(id, Assert.Single(found.GetProperty("customers").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(id, Assert.Single(byNewEmail.GetProperty("customers").EnumerateArray()).GetProperty("id").GetString());
        Assert.Empty(byOldEmail.GetProperty("customers").EnumerateArray());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ANewTimeZoneLeavesTheOpenPeriodInTheZoneItOpenedIn(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (customerId, _, _, key) = await silo.IssueKeyAsync();
        using var client = silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        await PatchAsync(silo, customerId, new { time_zone = "Asia/Tokyo" }, HttpStatusCode.OK);
        var usage = await silo.GetAsync(client, "/api/v1/usage");

        Assert.Equal(
            ("2026-11-01", "2026-11-30", "UTC"),
            (usage.GetProperty("period_start").GetString(), usage.GetProperty("period_end").GetString(), usage.GetProperty("time_zone").GetString()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AnInvalidPatchIs400NamingTheFieldsAndChangesNothing(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var id = await AdminCatalogQueryApiTests.CustomerAsync(silo, "Acme", "billing@acme.com");

        var problem = await PatchAsync(silo, id, new { name = "  ", email = "acme.com", time_zone = "Mars/Olympus", vat_rate = 2 }, HttpStatusCode.BadRequest);
        var read = await silo.GetAsync(silo.Admin, $"{Customers}/{id}");

        Assert.Equal("invalid_customer", problem.GetProperty("code").GetString());
        Assert.Equal(["email", "name", "time_zone", "vat_rate"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Acme", read.GetProperty("name").GetString());
        Assert.Equal("UTC", read.GetProperty("time_zone").GetString());
    }

    [Theory]
    [InlineData("sqlite", "cus_0123456789abcdefghij")]
    [InlineData("postgres", "cus_0123456789abcdefghij")]
    [InlineData("sqlite", "nonsense")]
    public async Task PatchingAnUnknownCustomerIs404(string dialect, string id)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var problem = await PatchAsync(silo, id, new { name = "Acme" }, HttpStatusCode.NotFound);

        Assert.Equal("customer_not_found", problem.GetProperty("code").GetString());
    }

    private static async Task<JsonElement> PatchAsync(CatalogSilo silo, string id, object body, HttpStatusCode expected)
    {
        using var response = await silo.Admin.PatchAsJsonAsync(new Uri($"{Customers}/{id}", UriKind.Relative), body);
        return await CatalogSilo.ReadAsync(response, expected);
    }
}
