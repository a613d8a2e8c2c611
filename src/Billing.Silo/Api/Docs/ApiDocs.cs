using Billing.Silo.Dashboard;
using Scalar.AspNetCore;

namespace Billing.Silo.Api.Docs;

/// <summary>
/// The API description: the OpenAPI document of every endpoint at <c>GET /openapi/v1.json</c> and a
/// reference UI (Scalar) at <c>/docs</c>. Public, like the routes it lists: the document holds no
/// secret, only what each endpoint takes and answers. <c>Billing:Docs:Enabled=false</c> maps neither.
/// </summary>
public static class ApiDocs
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string UiPath = "/docs";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            var byGroup = options.ShouldInclude;
            options.ShouldInclude = description => byGroup(description) && !IsDashboardAsset("/" + description.RelativePath);
            options.AddSchemaTransformer<ApiDocsSchemaTransformer>();
            options.AddOperationTransformer<ApiDocsOperationTransformer>();
            options.AddDocumentTransformer<ApiDocsDocumentTransformer>();
        });

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder routes, IConfiguration configuration)
    {
        var options = configuration.GetSection(ApiDocsOptions.SectionName).Get<ApiDocsOptions>() ?? new ApiDocsOptions();
        if (options.Enabled)
        {
            // One document: a route with no {documentName} serves the default (v1), and no other name answers a text/plain 404.
            routes.MapOpenApi(DocumentPath);
            routes.MapScalarApiReference(UiPath, scalar => scalar.WithTitle("Billing.Orleans API"));
        }

        return routes;
    }

    /// <summary>
    /// The Orleans dashboard's page and static files (its script, styles, fonts, images): what a browser
    /// loads, not an API. Its JSON endpoints, which the page reads, are described.
    /// </summary>
    public static bool IsDashboardAsset(string path)
    {
        const string Root = DashboardPaths.Root + "/";
        return path == DashboardPaths.Root || path == Root
            || (path.StartsWith(Root, StringComparison.Ordinal)
                && (Path.HasExtension(path) || path.StartsWith(Root + "fonts/", StringComparison.Ordinal) || path.StartsWith(Root + "img/", StringComparison.Ordinal)));
    }
}

/// <summary>Section <c>Billing:Docs</c>.</summary>
public sealed class ApiDocsOptions
{
    public const string SectionName = "Billing:Docs";

    /// <summary>Maps <c>/openapi/v1.json</c> and <c>/docs</c> (default on: they describe, they reveal nothing).</summary>
    public bool Enabled { get; set; } = true;
}
