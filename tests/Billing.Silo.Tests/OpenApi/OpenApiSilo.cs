using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Billing.Silo.Api.Docs;
using Billing.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;

namespace Billing.Silo.Tests.OpenApi;

/// <summary>One silo (SQLite, every optional endpoint on) and its <c>/openapi/v1.json</c>, shared by the tests below.</summary>
public sealed partial class OpenApiSilo : IAsyncLifetime
{
    private TestDatabase? database;
    private SiloFactory? root;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public JsonElement Document { get; private set; }

    public async Task InitializeAsync()
    {
        database = TestDatabase.CreateSqlite();
        root = new SiloFactory(database);
        Factory = root.WithWebHostBuilder(builder => builder
            .UseSetting("Billing:LoadTest:BareEndpointEnabled", "true")
            .UseSetting("Billing:AdminKey", Catalog.CatalogSilo.AdminKey));
        using var client = Factory.CreateClient();
        using var response = await client.GetAsync(new Uri(ApiDocs.DocumentPath, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{ApiDocs.DocumentPath} answered {(int)response.StatusCode}: {text}");
        Document = JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (root is not null)
        {
            await root.DisposeAsync(); // and the derived factory
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>"/dashboard/Reminders/{page:int}" → "/dashboard/Reminders/{page}", "/a/b/" → "/a/b", as OpenAPI writes paths.</summary>
    public static string OpenApiPath(RouteEndpoint endpoint) =>
        "/" + RouteParameter().Replace(endpoint.RoutePattern.RawText!.Trim('/'), "{$1}");

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
