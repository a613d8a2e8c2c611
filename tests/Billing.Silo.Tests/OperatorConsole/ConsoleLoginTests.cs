using System.Net;
using Billing.Silo.Dashboard;
using Billing.Silo.OperatorConsole;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Dashboard;
using Billing.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Billing.Silo.Tests.OperatorConsole;

/// <summary>The operator console's login, session cookie, security headers and antiforgery over the in-process silo (a fresh one per test).</summary>
public sealed class ConsoleLoginTests : IAsyncLifetime
{
    private readonly TestDatabase database = TestDatabase.CreateSqlite();
    private CatalogSilo silo = null!;
    private HttpClient browser = null!;

    public Task InitializeAsync()
    {
        silo = CatalogSilo.Start(database);
        browser = silo.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("http://localhost") });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        browser.Dispose();
        await silo.DisposeAsync();
        await database.DisposeAsync();
    }

    [Theory]
    [InlineData("/console")]
    [InlineData("/console/")]
    [InlineData("/console/customers")]
    [InlineData("/console/invoices?status=overdue")]
    [InlineData("/console/runs")]
    public async Task WithoutASessionAConsolePageRedirectsToTheConsoleLogin(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, session: null);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ConsolePaths.Area.Login, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AWrongAdminKeyIsRefusedAndStartsNoSession()
    {
        using var refused = await LogInAsync(CatalogSilo.AdminKey + "x");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        Assert.Contains("not the admin key", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Billing console", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A session of the dashboard is not one of the console: its cookie has another name and path.
        using var dashboard = await SendAsync(HttpMethod.Get, "/console/", session: null, cookie: $"{DashboardSessions.CookieName}=v1.1.x");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task TheAdminKeyOpensTheConsoleWithAStrictCookieAndSecurityHeaders()
    {
        using var login = await LogInAsync(CatalogSilo.AdminKey);

        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/console/", login.Headers.Location?.OriginalString);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{ConsolePaths.CookieName}=v1.", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(CatalogSilo.AdminKey, cookie, StringComparison.Ordinal);

        using var overview = await SendAsync(HttpMethod.Get, "/console/", SessionOf(cookie));
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Equal(ConsoleApi.SecurityPolicy, overview.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("script-src", ConsoleApi.SecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", ConsoleApi.SecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("DENY", overview.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", overview.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", overview.Headers.GetValues("Referrer-Policy").Single());
        var html = await overview.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Overview</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AFormPostedWithoutItsAntiforgeryTokenStartsNoRun()
    {
        using var login = await LogInAsync(CatalogSilo.AdminKey);
        var session = SessionOf(Assert.Single(login.Headers.GetValues("Set-Cookie")));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/console/runs")
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>(ConsoleOperationPages.PeriodField, "2026-10")]),
        };
        request.Headers.Add("Cookie", $"{ConsolePaths.CookieName}={session}");
        using var refused = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var runs = await silo.Admin.GetAsync(new Uri("/api/billing-scheduler/status", UriKind.Relative));
        Assert.Contains("\"runs\":[]", await runs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> LogInAsync(string key) => DashboardLoginTests.LogInAsync(browser, key, "text/html", ConsolePaths.Area.Login);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? session, string? cookie = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.ParseAdd("text/html");
        if ((session is null ? cookie : $"{ConsolePaths.CookieName}={session}") is { } header)
        {
            request.Headers.Add("Cookie", header);
        }

        return await browser.SendAsync(request);
    }

    private static string SessionOf(string setCookie) => DashboardLoginTests.SessionOf(setCookie, ConsolePaths.CookieName);
}
