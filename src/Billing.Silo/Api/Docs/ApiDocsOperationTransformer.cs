using System.Reflection;
using Billing.Domain;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
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
/// Schemas as the JSON contract reads and writes them: decimals (money, rates) as <c>decimal</c>, never
/// binary floating point; and a request member that may be null may also be left out (constructor
/// parameters are not required: an absent member is its default and the handler validates), so it is
/// not listed as required. A non-nullable member (e.g. a consume's <c>tokens</c>) stays required.
/// </summary>
internal sealed class ApiDocsSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
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
