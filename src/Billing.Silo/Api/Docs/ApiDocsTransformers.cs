using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Billing.Domain;
using Billing.Silo.Dashboard;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Billing.Silo.Api.Docs;

/// <summary>
/// Writes what the endpoints' metadata says into each operation: its ProblemDetails answers (one
/// response per status, the codes in its description and in <c>x-problem-codes</c>), the credential
/// it needs, and a tag named after the <c>Map…Api()</c> class that maps it.
/// </summary>
internal sealed class ApiDocsOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvariantViolationException("An operation is described outside a document.");
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        ApiDocsDescriber.Describe(operation, document, metadata);
        if (metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods is [var first, ..]
            && context.Description.HttpMethod is { } method && !string.Equals(method, first, StringComparison.OrdinalIgnoreCase))
        {
            // GET and HEAD of one endpoint share its name; operation ids must differ: Health, HealthHead.
            operation.OperationId = ApiDocsDescriber.OperationId(operation.OperationId, method, first);
        }

        if (metadata.OfType<MethodInfo>().FirstOrDefault() is { } handler && TagOf(handler) is { } tag)
        {
            ApiDocsDescriber.Tag(operation, document, tag);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// MeteringApi → "Metering": the outermost class of the handler (lambdas live in nested closure classes);
    /// a library's endpoints (the Orleans dashboard's) by the library's name.
    /// </summary>
    private static string? TagOf(MethodInfo handler)
    {
        var type = handler.DeclaringType;
        while (type?.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        if (type is null || type.Assembly != typeof(ApiDocsOperationTransformer).Assembly)
        {
            return type?.Assembly.GetName().Name;
        }

        return type.Name.EndsWith("Api", StringComparison.Ordinal) && type.Name.Length > 3 ? type.Name[..^3] : type.Name;
    }
}

/// <summary>
/// Decimals are described as <c>decimal</c>, not <c>double</c>. And request records are read with constructor parameters that are not required (an absent member is its
/// default, and the handler validates): a member that may be null may also be left out, so it is not
/// listed as required. A non-nullable member (e.g. a consume's <c>tokens</c>) stays required.
/// </summary>
internal sealed class OptionalNullableMembersTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // Money and rates are decimals on the wire, never binary floating point.
        if (context.JsonTypeInfo.Type == typeof(decimal) || context.JsonTypeInfo.Type == typeof(decimal?))
        {
            schema.Format = "decimal";
        }

        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var name in required.Where(name => properties.TryGetValue(name, out var property) && property.Type is { } type && type.HasFlag(JsonSchemaType.Null)).ToList())
            {
                required.Remove(name);
            }
        }

        return Task.CompletedTask;
    }
}

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

/// <summary>Problem responses and security requirements of one operation, from its endpoint's metadata.</summary>
internal static class ApiDocsDescriber
{
    public const string ProblemSchemaId = "Problem";
    public const string AdminKeyScheme = "admin_key";
    public const string ApiKeyScheme = "api_key";
    public const string ApiKeyHeaderScheme = "api_key_header";
    public const string DashboardSessionScheme = "dashboard_session";
    public const string ProblemCodesExtension = "x-problem-codes";

    /// <summary>
    /// What RuntimeExceptionHandler answers for any request when the runtime fails under it: the silo
    /// stops or is overloaded, the database is away, a grain call times out.
    /// </summary>
    private static readonly ProblemCodesMetadata[] RuntimeProblems =
    [
        new(StatusCodes.Status503ServiceUnavailable, ["silo_unavailable", "overloaded", "storage_unavailable"]),
        new(StatusCodes.Status504GatewayTimeout, ["timeout"]),
    ];

    public static void Describe(OpenApiOperation operation, OpenApiDocument document, IEnumerable<object> metadata)
    {
        var items = metadata.ToList();
        var problems = items.OfType<ProblemCodesMetadata>().Concat(RuntimeProblems)
            .GroupBy(p => p.StatusCode)
            .OrderBy(g => g.Key)
            .Select(g => (Status: g.Key, Codes: g.SelectMany(p => p.Codes).Distinct(StringComparer.Ordinal).ToList()))
            .ToList();
        operation.Responses ??= [];
        var extension = new JsonObject();
        foreach (var (status, codes) in problems)
        {
            var key = status.ToString(CultureInfo.InvariantCulture);
            var text = $"{ReasonPhrases.GetReasonPhrase(status)}: problem with code {string.Join(", ", codes.Select(c => $"`{c}`"))}.";
            var media = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchemaId, document) };
            if (operation.Responses.TryGetValue(key, out var existing) && existing is OpenApiResponse response)
            {
                // e.g. /health's 503 is its own body when degraded, a problem when the database is away.
                response.Description = $"{response.Description}; or a problem with code {string.Join(", ", codes.Select(c => $"`{c}`"))}.";
                response.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
                response.Content[ProblemResponses.ProblemContentType] = media;
            }
            else
            {
                operation.Responses[key] = new OpenApiResponse
                {
                    Description = text,
                    Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { [ProblemResponses.ProblemContentType] = media },
                };
            }

            extension[key] = new JsonArray([.. codes.Select(c => (JsonNode)JsonValue.Create(c))]);
        }

        foreach (var read in items.OfType<ReadParameterMetadata>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = read.Name,
                In = read.InHeader ? ParameterLocation.Header : ParameterLocation.Query,
                Required = read.Required,
                Description = read.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal);
        operation.Extensions[ProblemCodesExtension] = new JsonNodeExtension(extension);
        if (items.OfType<ApiCredentialMetadata>().LastOrDefault() is { } credential)
        {
            operation.Security = [.. Requirements(credential.Credential, document)];
        }
    }

    /// <summary>The endpoint's name for its first method; with the method appended for the others (HealthHead).</summary>
    public static string? OperationId(string? name, string method, string firstMethod) =>
        name is null || string.Equals(method, firstMethod, StringComparison.OrdinalIgnoreCase)
            ? name
            : name + char.ToUpperInvariant(method[0]) + method[1..].ToLowerInvariant();

    /// <summary>Puts the operation under <paramref name="tag"/> alone; the document lists each tag once (see the document transformer).</summary>
    public static void Tag(OpenApiOperation operation, OpenApiDocument document, string tag)
    {
        operation.Tags = new HashSet<OpenApiTagReference> { new(tag, document) };
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = tag });
    }

    /// <summary>Alternatives: any one of the returned requirements is enough.</summary>
    private static IEnumerable<OpenApiSecurityRequirement> Requirements(ApiCredential credential, OpenApiDocument document)
    {
        var schemes = credential switch
        {
            ApiCredential.AdminKey => [AdminKeyScheme],
            ApiCredential.ApiKey => [ApiKeyScheme, ApiKeyHeaderScheme],
            ApiCredential.DashboardSession => new[] { AdminKeyScheme, DashboardSessionScheme },
            _ => throw new ArgumentOutOfRangeException(nameof(credential), credential, "unknown credential"),
        };
        return schemes.Select(id => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(id, document)] = [] });
    }
}
