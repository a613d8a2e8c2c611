using System.Globalization;
using System.Text.Json;
using Billing.Silo.Storage;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Billing.Browser.Tests;

/// <summary>
/// The operator console in a real browser against a real silo: an operator logs in with the admin
/// key, opens every page, and finds the figures the admin API answers with. The tests save the
/// screenshots the README shows (docs/console/*.png).
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleBrowserFixture>
{
    private const string CookieName = "billing_console_session";

    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = (float)Chromium.WaitLimit.TotalMilliseconds };

    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task TheOverviewShowsTheMrrAndRevenueTheAnalyticsApiComputes(string storage)
    {
        var silo = await fixture.SiloAsync(storage);
        var page = await LogInAsync(silo);
        var month = DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var mrr = Currency((await silo.GetAsync($"/api/v1/admin/analytics/mrr?from={month}&to={month}")).GetProperty("months")[0], "EUR");
        Assert.Equal(30m, mrr.GetProperty("mrr").GetDecimal());
        await ExpectAmountAsync(page.Locator("[data-figure=mrr][data-currency=EUR]"), mrr.GetProperty("mrr").GetDecimal());
        await Expect(page.Locator("#mrr-chart-EUR g[data-bar]")).ToHaveCountAsync(12);
        Assert.Equal(mrr.GetProperty("mrr").GetDecimal(), decimal.Parse((await page.Locator($"#mrr-chart-EUR g[data-bar='{month}']").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-figure=active-customers][data-currency=EUR]")).ToHaveAttributeAsync("data-count", mrr.GetProperty("paying_customers").GetInt32().ToString(CultureInfo.InvariantCulture));

        var revenue = Currency((await silo.GetAsync($"/api/v1/admin/analytics/revenue?from={month}&to={month}")).GetProperty("months")[0], "EUR");
        Assert.True(revenue.GetProperty("net_revenue").GetDecimal() > 0m, $"the invoice issued this month is revenue: {revenue}");
        await ExpectAmountAsync(page.Locator($"[data-figure=revenue][data-month='{month}'][data-currency=EUR]"), revenue.GetProperty("net_revenue").GetDecimal());
        await Expect(page.Locator("#last-run")).ToContainTextAsync(silo.Period);
        await ScreenshotAsync(page, storage, "overview");
    }

    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task ACustomerFoundBySearchShowsTheBalanceUsageAndInvoiceTheApiHas(string storage)
    {
        var silo = await fixture.SiloAsync(storage);
        var page = await LogInAsync(silo);

        await page.GotoAsync(new Uri(silo.Url, "/console/customers").ToString());
        await page.FillAsync("#customer-search", ConsoleSilo.CustomerName[..7].ToLowerInvariant());
        await page.ClickAsync("#search");
        await page.ClickAsync($"a[href='/console/customers/{silo.CustomerId}']");
        await Expect(page.Locator("h1")).ToHaveTextAsync(ConsoleSilo.CustomerName);

        var subscription = await silo.GetAsync("/api/v1/billing/subscription", silo.ApiKey);
        await Expect(page.Locator("[data-figure=tokens-remaining]"))
            .ToHaveAttributeAsync("data-count", subscription.GetProperty("tokens_remaining").GetInt64().ToString(CultureInfo.InvariantCulture));
        var today = DateTimeOffset.UtcNow.Date;
        var usage = await silo.GetAsync(
            $"/api/v1/admin/analytics/usage?customer_id={silo.CustomerId}&from={today.AddDays(-29):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        var requests = usage.GetProperty("totals").GetProperty("requests").GetInt64();
        Assert.True(requests >= 19, $"both months' calls are in the last 30 days: {usage}");
        await Expect(page.Locator("#usage-totals")).ToHaveAttributeAsync("data-requests", requests.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("#usage-chart g[data-bar]")).ToHaveCountAsync(30);

        var invoice = Assert.Single((await silo.GetAsync($"/api/v1/admin/invoices?customer_id={silo.CustomerId}")).GetProperty("invoices").EnumerateArray());
        await ExpectAmountAsync(page.Locator($"tr[data-invoice='{invoice.GetProperty("id").GetString()}'] td[data-amount]"), invoice.GetProperty("total").GetDecimal());
        await Expect(page.Locator($"h3[data-shop='{silo.ShopId}']")).ToBeVisibleAsync(Visible);
        await ScreenshotAsync(page, storage, "customer");
    }

    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task InvoicesFilterByStatusAndPeriodAndOpenAsHtmlAndCsv(string storage)
    {
        var silo = await fixture.SiloAsync(storage);
        var page = await LogInAsync(silo);
        var invoice = Assert.Single((await silo.GetAsync($"/api/v1/admin/invoices?period={silo.Period}")).GetProperty("invoices").EnumerateArray());
        var id = invoice.GetProperty("id").GetString()!;
        var status = invoice.GetProperty("status").GetString()!;

        await page.GotoAsync(new Uri(silo.Url, "/console/invoices").ToString());
        await page.SelectOptionAsync("#status", status);
        await page.FillAsync("#period", silo.Period);
        await page.ClickAsync("#filter");
        await page.WaitForURLAsync(url => url.Contains($"period={silo.Period}", StringComparison.Ordinal));
        var row = page.Locator($"tr[data-invoice='{id}']");
        await ExpectAmountAsync(row.Locator("td[data-amount]"), invoice.GetProperty("total").GetDecimal());
        await Expect(row).ToContainTextAsync(invoice.GetProperty("number").GetString()!);
        await ScreenshotAsync(page, storage, "invoices");

        var other = status == "paid" ? "waived" : "paid";
        await page.GotoAsync(new Uri(silo.Url, $"/console/invoices?status={other}&period={silo.Period}").ToString());
        await Expect(page.Locator($"tr[data-invoice='{id}']")).ToHaveCountAsync(0);

        var csv = await page.Context.APIRequest.GetAsync(new Uri(silo.Url, $"/console/invoices/{id}.csv").ToString());
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"], StringComparison.Ordinal);
        await page.GotoAsync(new Uri(silo.Url, "/console/invoices").ToString());
        await page.ClickAsync($"tr[data-invoice='{id}'] a[href$='.html']");
        await Expect(page.Locator("body")).ToContainTextAsync(invoice.GetProperty("number").GetString()!);
    }

    [Fact]
    public async Task AnInvoiceMarkedPaidOnTheInvoicesPageIsPaidForTheApi()
    {
        var silo = await fixture.SiloAsync(StorageOptions.Sqlite);
        var page = await LogInAsync(silo);
        var id = Assert.Single((await silo.GetAsync($"/api/v1/admin/invoices?period={silo.Period}")).GetProperty("invoices").EnumerateArray()).GetProperty("id").GetString()!;
        var list = $"/console/invoices?period={silo.Period}";

        await page.GotoAsync(new Uri(silo.Url, list).ToString());
        var row = page.Locator($"tr[data-invoice='{id}']");
        await row.Locator("input[name=reference]").FillAsync("bank-2026-0042");
        await row.Locator("button.pay").ClickAsync();
        await page.WaitForURLAsync(new Uri(silo.Url, list).ToString());

        await Expect(row.Locator("td.status-paid")).ToHaveTextAsync("paid");
        await Expect(row.Locator("button.pay")).ToHaveCountAsync(0);
        var invoice = await silo.GetAsync($"/api/v1/admin/invoices/{id}");
        Assert.Equal("paid", invoice.GetProperty("status").GetString());
        var period = Assert.Single((await silo.GetAsync($"/api/v1/admin/shops/{silo.ShopId}/periods")).GetProperty("periods").EnumerateArray(), p => p.GetProperty("invoice_id").GetString() == id);
        Assert.Equal("bank-2026-0042", period.GetProperty("payment_reference").GetString());
    }

    [Fact]
    public async Task ADryRunStartedFromTheRunsPageFinishesAsTheSchedulerApiReportsIt()
    {
        var silo = await fixture.SiloAsync(StorageOptions.Sqlite);
        var page = await LogInAsync(silo);

        await page.GotoAsync(new Uri(silo.Url, "/console/runs").ToString());
        await page.FillAsync("#run-period", silo.Period);
        await page.CheckAsync("#run-dry");
        await page.ClickAsync("#start-run");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/console/runs/run_", StringComparison.Ordinal));
        var runId = new Uri(page.Url).AbsolutePath["/console/runs/".Length..];
        // The page reloads itself every 2 s while the run goes on.
        await Expect(page.Locator($"tr[data-run='{runId}'] td[data-status]")).ToHaveAttributeAsync("data-status", "completed");

        var run = await silo.GetAsync($"/api/billing-scheduler/runs/{runId}");
        Assert.True(run.GetProperty("dry_run").GetBoolean());
        Assert.Equal("completed", run.GetProperty("status").GetString());
        await Expect(page.Locator($"tr[data-run='{runId}']")).ToContainTextAsync($"{silo.Period} (dry run)");
        output.WriteLine($"run {runId}: {run}");
    }

    [Fact]
    public async Task PricePlansAndAlertsPagesListWhatTheApiLists()
    {
        var silo = await fixture.SiloAsync(StorageOptions.Sqlite);
        var page = await LogInAsync(silo);

        var plan = Assert.Single((await silo.GetAsync("/api/v1/admin/price-plans")).GetProperty("price_plans").EnumerateArray());
        await page.GotoAsync(new Uri(silo.Url, "/console/price-plans").ToString());
        await Expect(page.Locator("#price-plans tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#price-plans")).ToContainTextAsync(plan.GetProperty("id").GetString()!);

        var alerts = (await silo.GetAsync("/api/v1/admin/alerts")).GetProperty("alerts").GetArrayLength();
        await page.GotoAsync(new Uri(silo.Url, "/console/alerts").ToString());
        await Expect(page.Locator("#alerts tbody tr")).ToHaveCountAsync(alerts);
    }

    private async Task<IPage> LogInAsync(ConsoleSilo silo)
    {
        var page = await Chromium.NewPageAsync(fixture.Browser);
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync(new Uri(silo.Url, "/console/").ToString());
        Assert.Equal("/console/login", new Uri(page.Url).AbsolutePath);
        await page.FillAsync("#admin-key", ConsoleSilo.AdminKey);
        await page.ClickAsync("#log-in");
        await page.WaitForURLAsync(new Uri(silo.Url, "/console/").ToString());

        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == CookieName);
        Assert.True(session.HttpOnly, "the session cookie is HttpOnly");
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal("/console", session.Path);
        return page;
    }

    private static JsonElement Currency(JsonElement month, string code) =>
        Assert.Single(month.GetProperty("currencies").EnumerateArray(), c => c.GetProperty("currency").GetString() == code);

    private static async Task ExpectAmountAsync(ILocator figure, decimal expected)
    {
        await Expect(figure).ToBeVisibleAsync(Visible);
        Assert.Equal(expected, decimal.Parse((await figure.GetAttributeAsync("data-amount"))!, CultureInfo.InvariantCulture));
    }

    /// <summary>SQLite's run makes the README's screenshots; PostgreSQL's checks the same figures.</summary>
    private async Task ScreenshotAsync(IPage page, string storage, string name)
    {
        if (storage == StorageOptions.Sqlite)
        {
            output.WriteLine($"screenshot: {await Screenshots.SaveAsync(page, "console", name)}");
        }
    }
}
