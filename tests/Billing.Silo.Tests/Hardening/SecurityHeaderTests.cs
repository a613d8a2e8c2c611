using Billing.Silo.Dashboard;
using Billing.Silo.Hosting;
using Billing.Silo.Tests.Catalog;
using Billing.Testing;

namespace Billing.Silo.Tests.Hardening;

/// <summary>Every answer says nosniff, never-framed and no-referrer; the silo's own HTML also gets the strict document policy.</summary>
public sealed class SecurityHeaderTests
{
    [Fact]
    public async Task TheLoginFormGetsTheDocumentPolicyAndAJsonAnswerTheCommonHeadersOnly()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        using var client = silo.CreateClient();

        using var login = await client.GetAsync(new Uri(DashboardPaths.Login, UriKind.Relative));
        using var health = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(
            ("text/html", SecurityHeaders.DocumentPolicy, "nosniff", "DENY", "no-referrer"),
            (login.Content.Headers.ContentType?.MediaType, Header(login, "Content-Security-Policy"), Header(login, "X-Content-Type-Options"), Header(login, "X-Frame-Options"), Header(login, "Referrer-Policy")));
        Assert.Equal(
            ("nosniff", "DENY", "no-referrer"),
            (Header(health, "X-Content-Type-Options"), Header(health, "X-Frame-Options"), Header(health, "Referrer-Policy")));
        Assert.False(health.Headers.Contains("Content-Security-Policy"));
    }

    private static string Header(HttpResponseMessage response, string name) => Assert.Single(response.Headers.GetValues(name));
}
