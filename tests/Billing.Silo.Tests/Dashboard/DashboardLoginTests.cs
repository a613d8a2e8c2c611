using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Billing.Silo.Dashboard;
using Billing.Silo.Tests.Catalog;
using Billing.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Billing.Silo.Tests.Dashboard;

/// <summary>The dashboard's login and session cookie over the in-process silo (a fresh one per test), with a manual clock.</summary>
public sealed class DashboardLoginTests : IAsyncLifetime
{
    private const string Counters = "/dashboard/DashboardCounters";

    private readonly TestDatabase database = TestDatabase.CreateSqlite();
    private CatalogSilo silo = null!;
    private HttpClient browser = null!;

    public Task InitializeAsync()
    {
        silo = CatalogSilo.Start(database);
        browser = Browser("http://localhost");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        browser.Dispose();
        await silo.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task LoginSetsAStrictHttpOnlyCookieThatOpensTheDashboardUntilTheSessionEnds()
    {
        using var login = await LogInAsync(browser, CatalogSilo.AdminKey);

        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/dashboard/", login.Headers.Location?.OriginalString);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{DashboardSessions.CookieName}=v1.", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(CatalogSilo.AdminKey, cookie, StringComparison.Ordinal);

        var session = SessionOf(cookie);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(browser, Counters, session));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(browser, "/dashboard/", session));

        silo.Time.Advance(TimeSpan.FromMinutes(new DashboardLoginOptions().SessionMinutes) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(browser, Counters, session));
        silo.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(browser, Counters, session));
    }

    [Fact]
    public async Task OverHttpsTheCookieIsSecure()
    {
        using var overHttps = Browser("https://localhost");

        using var login = await LogInAsync(overHttps, CatalogSilo.AdminKey);

        Assert.Contains("secure", Assert.Single(login.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AWrongKeyIsRefusedAsAPageOrAsAProblem()
    {
        using var asPage = await LogInAsync(browser, CatalogSilo.AdminKey + "x", accept: "text/html");
        Assert.Equal(HttpStatusCode.Unauthorized, asPage.StatusCode);
        Assert.False(asPage.Headers.Contains("Set-Cookie"));
        Assert.Contains("not the admin key", await asPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var asProblem = await LogInAsync(browser, "", accept: "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, asProblem.StatusCode);
        Assert.Equal("unauthorized", await CodeAsync(asProblem));

        using var json = new StringContent("""{"admin_key":"x"}""", System.Text.Encoding.UTF8, "application/json");
        using var notAForm = await browser.PostAsync(new Uri(DashboardPaths.Login, UriKind.Relative), json);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notAForm.StatusCode);
        Assert.Equal("unsupported_media_type", await CodeAsync(notAForm));
    }

    [Fact]
    public async Task WithoutASessionPagesRedirectToTheLoginAndDataIsUnauthorized()
    {
        using var page = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        page.Headers.Accept.ParseAdd("text/html");
        using var redirected = await browser.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal(DashboardPaths.Login, redirected.Headers.Location?.OriginalString);

        using var data = await browser.GetAsync(new Uri(Counters, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
        Assert.Equal("unauthorized", await CodeAsync(data));
        Assert.Equal("Bearer", data.Headers.WwwAuthenticate.ToString());

        var forged = $"v1.{silo.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds()}.{new string('A', 43)}";
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(browser, Counters, forged));
    }

    [Fact]
    public async Task TheAdminKeyAsBearerOpensTheDashboardAndAWrongOneOutweighsASession()
    {
        using var login = await LogInAsync(browser, CatalogSilo.AdminKey);
        var session = SessionOf(Assert.Single(login.Headers.GetValues("Set-Cookie")));

        Assert.Equal(HttpStatusCode.OK, await GetAsync(browser, Counters, session: null, bearer: CatalogSilo.AdminKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(browser, Counters, session, bearer: CatalogSilo.AdminKey + "x"));
    }

    [Fact]
    public async Task LogoutDropsTheCookie()
    {
        using var logout = await browser.PostAsync(new Uri(DashboardPaths.Logout, UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
        Assert.Equal(DashboardPaths.Login, logout.Headers.Location?.OriginalString);
        var cookie = Assert.Single(logout.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{DashboardSessions.CookieName}=;", cookie, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cookie, StringComparison.Ordinal);
    }

    /// <summary>No automatic redirects or cookies: the tests read and send both themselves.</summary>
    private HttpClient Browser(string baseAddress) =>
        silo.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri(baseAddress) });

    /// <summary>Posts the login form of the dashboard, or of the area whose login is <paramref name="login"/>.</summary>
    internal static async Task<HttpResponseMessage> LogInAsync(HttpClient browser, string key, string? accept = null, string login = DashboardPaths.Login)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, login)
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("admin_key", key)]),
        };
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await browser.SendAsync(request);
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient browser, string path, string? session, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (session is not null)
        {
            request.Headers.Add("Cookie", $"{DashboardSessions.CookieName}={session}");
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await browser.SendAsync(request);
        return response.StatusCode;
    }

    internal static string SessionOf(string setCookie, string cookieName = DashboardSessions.CookieName) => setCookie.Split(';')[0][(cookieName.Length + 1)..];

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();
}
