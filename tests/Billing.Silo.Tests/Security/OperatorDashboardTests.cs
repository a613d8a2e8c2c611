using System.Net;
using Billing.Silo.Dashboard;
using Billing.Silo.Tests.Catalog;
using Billing.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Billing.Silo.Tests.Security;

/// <summary>The Orleans dashboard and the console accept operator keys of any role, a viewer only to read; a revoked key's session ends.</summary>
public sealed class OperatorDashboardTests
{
    private const string Counters = "/dashboard/DashboardCounters";

    [Fact]
    public async Task AViewerKeyOpensTheDashboardUntilTheKeyIsRevoked()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (viewerId, viewerKey) = await OperatorKeys.CreateAsync(silo, "Night shift", "viewer");
        using var browser = silo.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        using var login = new HttpRequestMessage(HttpMethod.Post, DashboardPaths.Login)
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("admin_key", viewerKey)]),
        };
        using var loggedIn = await browser.SendAsync(login);
        var cookies = loggedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();

        Assert.Equal(HttpStatusCode.SeeOther, loggedIn.StatusCode);
        Assert.Equal([DashboardSessions.CookieName, DashboardSessions.OperatorCookieName], cookies.Select(c => c.Split('=')[0]));
        Assert.Contains($"{DashboardSessions.OperatorCookieName}={viewerId}", cookies);
        Assert.All(cookies, c => Assert.DoesNotContain(viewerKey, c, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(browser, string.Join("; ", cookies), bearer: null));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(browser, cookie: null, bearer: viewerKey));
        // The session cookie signed for this key is worth nothing without the key's id beside it.
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(browser, cookies[0], bearer: null));

        await OperatorKeys.SendAsync(silo.Admin, HttpMethod.Delete, $"/api/v1/admin/operator-keys/{viewerId}", null, HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(browser, string.Join("; ", cookies), bearer: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(browser, cookie: null, bearer: viewerKey));
    }

    [Fact]
    public async Task AViewerKeyReadsTheConsoleButPostingItsFormsIs403ForbiddenRole()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var (_, viewerKey) = await OperatorKeys.CreateAsync(silo, "Auditor", "viewer");
        using var browser = silo.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        browser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", viewerKey);

        using var overview = await browser.GetAsync(new Uri("/console/", UriKind.Relative));
        using var run = await browser.PostAsync(new Uri("/console/runs", UriKind.Relative), new FormUrlEncodedContent([new KeyValuePair<string, string>("period", "2026-11")]));

        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Equal("forbidden_role", (await CatalogSilo.ReadAsync(run, HttpStatusCode.Forbidden)).GetProperty("code").GetString());
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient browser, string? cookie, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Counters);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await browser.SendAsync(request);
        return response.StatusCode;
    }
}
