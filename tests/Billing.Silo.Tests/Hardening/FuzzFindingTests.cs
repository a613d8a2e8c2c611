using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Billing.Silo.Dashboard;
using Billing.Silo.Tests.Catalog;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Billing.Silo.Tests.Hardening;

/// <summary>What <see cref="ApiFuzzTests"/> found: each answered 500, or an error that was not a problem.</summary>
public sealed class FuzzFindingTests
{
    [Fact]
    public async Task DashboardPerSiloEndpointsAnswer404ForAMalformedOrUnknownSiloAndServeTheLocalOne()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        var local = silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

        var garbage = await silo.GetAsync(silo.Admin, $"{DashboardPaths.Root}/SiloMetadata/not-a-silo", HttpStatusCode.NotFound);
        var history = await silo.GetAsync(silo.Admin, $"{DashboardPaths.Root}/HistoricalStats/pp_x", HttpStatusCode.NotFound);
        var unknown = await silo.GetAsync(silo.Admin, $"{DashboardPaths.Root}/SiloStats/10.9.9.9:11111@1", HttpStatusCode.NotFound);
        await silo.GetAsync(silo.Admin, $"{DashboardPaths.Root}/SiloProperties/{local}");

        Assert.Equal(
            ("silo_not_found", "silo_not_found", "silo_not_found"),
            (garbage.GetProperty("code").GetString(), history.GetProperty("code").GetString(), unknown.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task AnUnknownOpenApiDocumentIsA404Problem()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        using var client = silo.CreateClient();

        var problem = await silo.GetAsync(client, "/openapi/v2.json", HttpStatusCode.NotFound);

        Assert.Equal("not_found", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/dashboard/login", "application/x-www-form-urlencoded")]
    [InlineData("/console/login", "application/x-www-form-urlencoded")]
    [InlineData("/console/runs", "application/x-www-form-urlencoded")]
    [InlineData("/console/runs", "multipart/form-data; boundary=x")]
    public async Task AFormThatCannotBeReadIs400InvalidForm(string path, string contentType)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        // A field name beyond the form reader's 2 KiB key limit, or a multipart body without its boundary (the logins take no multipart: 415).
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(new string('k', 3_000) + "=v"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await silo.Admin.PostAsync(new Uri(path, UriKind.Relative), content);
        var problem = await CatalogSilo.ReadAsync(response, HttpStatusCode.BadRequest);

        Assert.Equal("invalid_form", problem.GetProperty("code").GetString());
    }
}
