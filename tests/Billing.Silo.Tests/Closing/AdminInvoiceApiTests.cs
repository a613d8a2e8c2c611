using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Payments;

namespace Billing.Silo.Tests.Closing;

/// <summary>The operator's view of every shop's invoices: lists filtered by shop, customer, status and month, and any invoice in each rendering.</summary>
public sealed class AdminInvoiceApiTests
{
    private const string Invoices = "/api/v1/admin/invoices";
    private static readonly DateTimeOffset BeforeMonthEnd = CollectionScenario.BeforeMonthEnd;
    private static readonly DateTimeOffset AfterClose = CollectionScenario.AfterClose;

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task InvoicesAreListedByShopCustomerStatusAndMonth(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var (acme, acmeInvoice, zeta, zetaInvoice) = await TwoInvoicedShopsAsync(silo);

        Assert.Equal(new[] { acmeInvoice.Id, zetaInvoice.Id }.Order(StringComparer.Ordinal), (await IdsAsync(silo, "")).Order(StringComparer.Ordinal));
        Assert.Equal([acmeInvoice.Id], await IdsAsync(silo, $"?customer_id={acme.CustomerId}"));
        Assert.Equal([zetaInvoice.Id], await IdsAsync(silo, $"?shop_id={zeta.ShopId}"));
        Assert.Equal(2, (await IdsAsync(silo, "?status=pending&period=2026-11")).Length);
        Assert.Empty(await IdsAsync(silo, "?period=2026-10"));
        Assert.Empty(await IdsAsync(silo, "?status=paid"));

        using (var pay = await silo.Admin.PostAsJsonAsync($"{Invoices}/{acmeInvoice.Id}/pay", new { reference = "SEPA-1" }))
        {
            Assert.Equal(HttpStatusCode.OK, pay.StatusCode);
        }

        silo.Time.Advance(new DateTimeOffset(2026, 12, 20, 10, 0, 0, TimeSpan.Zero) - silo.Time.GetUtcNow());
        Assert.Equal([acmeInvoice.Id], await IdsAsync(silo, "?status=paid"));
        var overdue = await silo.GetAsync(silo.Admin, $"{Invoices}?status=overdue");
        var listed = Assert.Single(overdue.GetProperty("invoices").EnumerateArray());
        Assert.Equal((zetaInvoice.Id, "overdue", 5), (listed.GetProperty("id").GetString(), listed.GetProperty("status").GetString(), listed.GetProperty("days_overdue").GetInt32()));
        Assert.Empty(await IdsAsync(silo, "?status=pending"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task TheOperatorReadsAnyInvoiceAsItsShopDoesInJsonHtmlAndCsv(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var (acme, acmeInvoice, _, _) = await TwoInvoicedShopsAsync(silo);
        using var client = BillingScenario.Client(silo, acme.Key);

        var asAdmin = await silo.GetAsync(silo.Admin, $"{Invoices}/{acmeInvoice.Id}");
        var asShop = await silo.GetAsync(client, $"/api/v1/billing/invoices/{acmeInvoice.Id}");
        Assert.Equal(asShop.GetRawText(), asAdmin.GetRawText());
        Assert.Equal((acmeInvoice.Number, 0.04m), (asAdmin.GetProperty("number").GetString(), asAdmin.GetProperty("total").GetDecimal()));
        foreach (var (format, mediaType) in new[] { ("html", "text/html"), ("csv", "text/csv") })
        {
            using var admin = await silo.Admin.GetAsync(new Uri($"{Invoices}/{acmeInvoice.Id}.{format}", UriKind.Relative));
            using var shop = await client.GetAsync(new Uri($"/api/v1/billing/invoices/{acmeInvoice.Id}.{format}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
            Assert.Equal(mediaType, admin.Content.Headers.ContentType!.MediaType);
            var text = await admin.Content.ReadAsStringAsync();
            Assert.Equal(await shop.Content.ReadAsStringAsync(), text);
            Assert.Contains(acmeInvoice.Number, text, StringComparison.Ordinal);
        }

        var unknown = await silo.GetAsync(silo.Admin, $"{Invoices}/inv_0123456789abcdefghij", HttpStatusCode.NotFound);
        Assert.Equal("invoice_not_found", unknown.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("?status=late")]
    [InlineData("?period=2026-13")]
    [InlineData("?period=november")]
    [InlineData("?shop_id=nonsense")]
    [InlineData("?customer_id=shop_0123456789abcdefghij")]
    [InlineData("?limit=501")]
    [InlineData("?after=cus_0123456789abcdefghij")]
    public async Task AMalformedInvoiceQueryIs400InvalidQuery(string query)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.GetAsync(silo.Admin, $"{Invoices}{query}", HttpStatusCode.BadRequest);

        Assert.Equal("invalid_query", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/inv_0123456789abcdefghij.csv")]
    public async Task TheInvoiceListAndReadsNeedTheAdminKey(string path)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        using var anonymous = silo.CreateClient();

        var problem = await silo.GetAsync(anonymous, $"{Invoices}{path}", HttpStatusCode.Unauthorized);

        Assert.Equal("unauthorized", problem.GetProperty("code").GetString());
    }

    private static async Task<((string CustomerId, string ShopId, string Key) Acme, (string Id, string Number) AcmeInvoice, (string CustomerId, string ShopId, string Key) Zeta, (string Id, string Number) ZetaInvoice)>
        TwoInvoicedShopsAsync(CatalogSilo silo)
    {
        var acme = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam", "Acme");
        var zeta = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam", "Zeta");
        await BillingScenario.ConsumeAsync(silo, acme.Key, 3);
        await BillingScenario.ConsumeAsync(silo, zeta.Key, 2);
        await BillingScenario.AdvanceAndTickAsync(silo, AfterClose);
        return (acme, await InvoiceOfAsync(silo, acme.Key), zeta, await InvoiceOfAsync(silo, zeta.Key));
    }

    private static async Task<(string Id, string Number)> InvoiceOfAsync(CatalogSilo silo, string key)
    {
        using var client = BillingScenario.Client(silo, key);
        var invoice = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray());
        return (invoice.GetProperty("id").GetString()!, invoice.GetProperty("number").GetString()!);
    }

    private static async Task<string[]> IdsAsync(CatalogSilo silo, string query) =>
        [.. (await silo.GetAsync(silo.Admin, $"{Invoices}{query}")).GetProperty("invoices").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
}
