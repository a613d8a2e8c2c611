using System.Net;
using System.Text.Json;
using Billing.Silo.Dashboard;
using Billing.Silo.Storage;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Billing.Browser.Tests;

/// <summary>
/// The Orleans dashboard in a real browser against a real silo: an operator logs in with the
/// admin key and sees the billing grains, the silo and the shops' closing reminders; without the
/// key nothing of the dashboard is served.
/// </summary>
public sealed class DashboardBrowserTests(DashboardBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardBrowserFixture>
{
    private const string SubscriptionGrain = "Billing.Silo.Grains.SubscriptionGrain";
    private const string ShopGrain = "Billing.Silo.Grains.ShopGrain";

    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = (float)Chromium.WaitLimit.TotalMilliseconds };

    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task LoggedInOperatorSeesTheBillingGrainsTheSiloAndTheClosingReminders(string storage)
    {
        var silo = await fixture.SiloAsync(storage);
        var page = await Chromium.NewPageAsync(fixture.Browser);

        await page.GotoAsync(new Uri(silo.Url, "/dashboard/").ToString());
        Assert.EndsWith(DashboardPaths.Login, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.FillAsync("#admin-key", DashboardSilo.AdminKey);
        await page.ClickAsync("#log-in");
        await page.WaitForURLAsync(new Uri(silo.Url, "/dashboard/").ToString());

        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == DashboardSessions.CookieName);
        Assert.True(session.HttpOnly, "the session cookie is HttpOnly");
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal(DashboardPaths.Root, session.Path);
        Assert.DoesNotContain(DashboardSilo.AdminKey, session.Value, StringComparison.Ordinal);

        await page.GotoAsync(new Uri(silo.Url, "/dashboard/#/grains").ToString());
        await Expect(page.Locator($"a[href='#/grain/{SubscriptionGrain}']")).ToBeVisibleAsync(Visible);
        await Expect(page.Locator($"a[href='#/grain/{ShopGrain}']")).ToBeVisibleAsync(Visible);
        await Expect(page.Locator($"a[href='#/grain/{SubscriptionGrain}']")).ToHaveTextAsync("SubscriptionGrain");

        await page.GotoAsync(new Uri(silo.Url, "/dashboard/#/silos").ToString());
        await Expect(page.Locator("a[href^='#/host/127.0.0.1:']").First).ToBeVisibleAsync(Visible);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "silo-process", Exact = true }).First).ToBeVisibleAsync(Visible);

        await page.GotoAsync(new Uri(silo.Url, "/dashboard/#/reminders").ToString());
        var reminder = page.Locator("tr", new() { HasText = silo.ShopId });
        await Expect(reminder.First).ToBeVisibleAsync(Visible);
        await Expect(reminder.First).ToContainTextAsync("close-period");
        output.WriteLine($"{storage}: reminder row: {await reminder.First.InnerTextAsync()}");
    }

    [Fact]
    public async Task WithoutLoginTheDashboardServesOnlyTheLoginForm()
    {
        var silo = await fixture.SiloAsync(StorageOptions.Sqlite);
        var page = await Chromium.NewPageAsync(fixture.Browser);

        foreach (var path in new[] { "/dashboard", "/dashboard/", "/dashboard/index.html" })
        {
            await page.GotoAsync(new Uri(silo.Url, path).ToString());
            Assert.Equal(DashboardPaths.Login, new Uri(page.Url).AbsolutePath);
            await Expect(page.Locator("#admin-key")).ToBeVisibleAsync(Visible);
            Assert.Equal(0, await page.Locator("#dashboard-sidebar").CountAsync());
        }

        // What the dashboard's script fetches, and its script itself: 401 ProblemDetails, no content.
        using var anonymous = silo.CreateClient();
        foreach (var path in new[] { "/dashboard/DashboardCounters", "/dashboard/Reminders", "/dashboard/index.min.js", "/dashboard/Trace" })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthorized", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        // Scripts may use the admin API's header instead of a login.
        using var withKey = silo.CreateClient(DashboardSilo.AdminKey);
        using var counters = await withKey.GetAsync(new Uri("/dashboard/DashboardCounters", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
    }

    [Fact]
    public async Task AWrongAdminKeyIsRefusedAndStartsNoSession()
    {
        var silo = await fixture.SiloAsync(StorageOptions.Sqlite);
        var page = await Chromium.NewPageAsync(fixture.Browser);

        await page.GotoAsync(new Uri(silo.Url, DashboardPaths.Login).ToString());
        await page.FillAsync("#admin-key", DashboardSilo.AdminKey + "-wrong");
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("#log-in"),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == DashboardPaths.Login);

        Assert.Equal((int)HttpStatusCode.Unauthorized, answer.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not the admin key");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == DashboardSessions.CookieName);

        await page.GotoAsync(new Uri(silo.Url, "/dashboard/").ToString());
        Assert.Equal(DashboardPaths.Login, new Uri(page.Url).AbsolutePath);

        using var wrongBearer = silo.CreateClient(DashboardSilo.AdminKey + "-wrong");
        using var response = await wrongBearer.GetAsync(new Uri("/dashboard/DashboardCounters", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
