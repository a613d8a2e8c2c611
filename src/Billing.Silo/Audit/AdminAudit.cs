using System.Text.Json;
using Billing.Silo.Api;
using Billing.Silo.Catalog;
using Billing.Silo.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Audit;

/// <summary>
/// The audit of admin writes, run by <c>RequireAdminKey()</c> around every non-GET admin request:
/// the operator becomes the <see cref="AuditContext"/>'s actor, so stores that write their own row
/// in their transaction (invoice payments and waivers, operator keys) name them; when the handler
/// succeeded (2xx, not an idempotent replay) and nothing wrote a row, one generic row is written
/// right after: action = the endpoint's name, resource = the route's first <c>{parameter}</c> and
/// the segment before it (or the created resource's <c>id</c>), after = the response body
/// (sanitized), before = the resource's admin GET state where that is one read (customers, shops, plans), else none.
/// </summary>
public static class AdminAudit
{
    /// <summary>Marks an admin POST that changes nothing (the load test's parse endpoint), so it writes no audit row.</summary>
    public static TBuilder WithoutAudit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new NotAudited());

    public static async ValueTask<object?> RunAuditedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, OperatorPrincipal principal)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<NotAudited>() is not null)
        {
            return await next(context);
        }

        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var before = await BeforeAsync(http, json);
        var scope = AuditContext.Begin(AuditActor.Operator(principal));
        var result = await next(context);
        if (scope.Recorded > 0 || !Succeeded(result) || http.Response.Headers["Idempotent-Replayed"] == "true")
        {
            return result;
        }

        var after = result is IValueHttpResult { Value: { } value } ? AuditJson.Serialize(value, json) : null;
        var (type, id) = ResourceOf(http, after);
        // The change is done: it is recorded even if the client has hung up meanwhile.
        await http.RequestServices.GetRequiredService<AuditLog>().AppendAsync(new AuditRecord(ActionOf(http), type, id, before, after), CancellationToken.None);
        return result;
    }

    /// <summary>
    /// Where it is one indexed read, the resource's state as its admin GET shows it (customers,
    /// shops, plans); otherwise none. Read before the handler runs, so it may be older than the
    /// state the change replaced if another request changed it in between.
    /// </summary>
    private static async Task<string?> BeforeAsync(HttpContext http, JsonSerializerOptions json)
    {
        var (type, id) = ResourceOf(http, after: null);
        if (id is null)
        {
            return null;
        }

        var catalog = http.RequestServices.GetRequiredService<CatalogStore>();
        var ct = http.RequestAborted;
        object? state = type switch
        {
            "customers" => await catalog.GetCustomerAsync(id, ct) is { } customer ? customer.ToResponse() : null,
            "shops" => await catalog.GetShopAsync(id, ct) is { } shop ? shop.ToResponse() : null,
            "plans" => await catalog.GetPlanAsync(id, ct) is { } plan ? plan.ToResponse() : null,
            _ => null,
        };
        return AuditJson.Serialize(state, json);
    }

    private static bool Succeeded(object? result) =>
        result is not IStatusCodeHttpResult { StatusCode: { } status } || status is >= 200 and < 300;

    private static string ActionOf(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        return endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
            ?? $"{http.Request.Method} {(endpoint as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value}";
    }

    /// <summary>
    /// <c>/api/v1/admin/invoices/{id}/pay</c> → (invoices, the id); <c>/api/v1/admin/plans</c> → (plans,
    /// the created plan's id from the response, if any).
    /// </summary>
    private static (string Type, string? Id) ResourceOf(HttpContext http, string? after)
    {
        var segments = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.PathSegments ?? [];
        string type = "unknown";
        foreach (var segment in segments)
        {
            if (segment.IsSimple && segment.Parts[0] is RoutePatternParameterPart parameter)
            {
                return (type, http.Request.RouteValues[parameter.Name]?.ToString());
            }

            if (segment.IsSimple && segment.Parts[0] is RoutePatternLiteralPart literal)
            {
                type = literal.Content;
            }
        }

        return (type, IdOf(after));
    }

    private static string? IdOf(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
    }
}

/// <summary>Endpoint metadata: not an admin write worth a row.</summary>
public sealed class NotAudited;
