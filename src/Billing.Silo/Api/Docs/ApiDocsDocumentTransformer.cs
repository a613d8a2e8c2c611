using System.Globalization;
using System.Reflection;
using Billing.Silo.Dashboard;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Billing.Silo.Api.Docs;

/// <summary>
/// The document's shared parts: the <c>Problem</c> schema, the security schemes, the health probes
/// (health-check endpoints have no handler method, so the API explorer does not see them), and only
/// the tags operations use.
/// </summary>
internal sealed class ApiDocsDocumentTransformer(EndpointDataSource endpoints) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Billing.Orleans API";
        document.Info.Description = "Every error is application/problem+json with a stable `code`; each operation lists its codes per status (also as `x-problem-codes`).";
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        document.Components.Schemas[ApiDocsDescriber.ProblemSchemaId] = ProblemSchema();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        foreach (var (id, scheme) in SecuritySchemes())
        {
            document.Components.SecuritySchemes[id] = scheme;
        }

        document.Paths ??= [];
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>().Where(IsUndescribed))
        {
            AddOperations(document, endpoint);
        }

        // Operations were tagged by their API class; the default tag (the application's name) is left unused.
        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []).SelectMany(o => o.Tags?.AsEnumerable() ?? []).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        document.Tags = document.Tags?.Where(t => t.Name is { } name && used.Contains(name)).DistinctBy(t => t.Name).OrderBy(t => t.Name, StringComparer.Ordinal).ToHashSet();
        return Task.CompletedTask;
    }

    /// <summary>A named endpoint with HTTP methods but no handler method: the API explorer skips it (e.g. MapHealthChecks).</summary>
    private static bool IsUndescribed(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IEndpointNameMetadata>() is not null
        && endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not null
        && endpoint.Metadata.GetMetadata<MethodInfo>() is null;

    private static void AddOperations(OpenApiDocument document, RouteEndpoint endpoint)
    {
        var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
        if (!document.Paths.TryGetValue(path, out var item))
        {
            item = new OpenApiPathItem();
            document.Paths[path] = item;
        }

        var pathItem = (OpenApiPathItem)item;
        pathItem.Operations ??= [];
        foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
        {
            var operation = new OpenApiOperation
            {
                OperationId = ApiDocsDescriber.OperationId(endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, method, endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0]),
                Summary = endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary,
                Responses = [],
            };
            foreach (var produces in endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>())
            {
                operation.Responses[produces.StatusCode.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
                {
                    Description = produces.Description ?? ReasonPhrases.GetReasonPhrase(produces.StatusCode),
                    Content = produces.ContentTypes.ToDictionary(c => c, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } }),
                };
            }

            // Tagged by the path's first segment: /health/live → Health.
            var tag = string.Concat(char.ToUpperInvariant(path[1]).ToString(), path[2..].Split('/')[0]);
            ApiDocsDescriber.Tag(operation, document, tag);
            ApiDocsDescriber.Describe(operation, document, endpoint.Metadata);
            pathItem.Operations[HttpMethod.Parse(method)] = operation;
        }
    }

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details with the stable machine-readable `code`; validation problems add `errors` (field → messages).",
        Required = new HashSet<string>(StringComparer.Ordinal) { "code" },
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable: clients branch on it, never on title or detail." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        // Some problems carry more members beside code (a payment's decline_code, a balance's open amount).
        AdditionalPropertiesAllowed = true,
    };

    private static IEnumerable<(string Id, OpenApiSecurityScheme Scheme)> SecuritySchemes()
    {
        yield return (ApiDocsDescriber.AdminKeyScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The operator's admin key (Billing:AdminKey): Authorization: Bearer <admin key>.",
        });
        yield return (ApiDocsDescriber.ApiKeyScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A shop's API key (bk_live_…): Authorization: Bearer <key>.",
        });
        yield return (ApiDocsDescriber.ApiKeyHeaderScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AuthEndpointExtensions.ApiKeyHeader,
            Description = $"A shop's API key in {AuthEndpointExtensions.ApiKeyHeader}, instead of Authorization.",
        });
        yield return (ApiDocsDescriber.DashboardSessionScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = DashboardSessions.CookieName,
            Description = $"The session cookie {DashboardPaths.Login} sets for the admin key.",
        });
    }
}
