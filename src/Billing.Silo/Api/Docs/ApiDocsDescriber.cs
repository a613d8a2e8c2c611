using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Billing.Silo.Api.Docs;

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
            var listed = string.Join(", ", codes.Select(c => $"`{c}`"));
            var media = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchemaId, document) };
            if (operation.Responses.TryGetValue(key, out var existing) && existing is OpenApiResponse response)
            {
                // e.g. /health's 503 is its own body when degraded, a problem when the database is away.
                response.Description = $"{response.Description}; or a problem with code {listed}.";
                response.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
                response.Content[ProblemResponses.ProblemContentType] = media;
            }
            else
            {
                operation.Responses[key] = new OpenApiResponse
                {
                    Description = $"{ReasonPhrases.GetReasonPhrase(status)}: problem with code {listed}.",
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
