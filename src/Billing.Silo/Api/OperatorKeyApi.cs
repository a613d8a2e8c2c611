using Billing.Domain;
using Billing.Silo.Security;

namespace Billing.Silo.Api;

/// <summary>The body of <c>POST /api/v1/admin/operator-keys</c>.</summary>
public sealed record OperatorKeyRequest(string? Name, string? Role);

/// <summary>A key just created: <see cref="Key"/> is shown this once and never stored.</summary>
public sealed record OperatorKeyCreatedResponse(string Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string Key);

/// <summary>One page of operator keys; pass <c>next_after</c> as <c>after</c> for the next page (null on the last).</summary>
public sealed record OperatorKeyPage(IReadOnlyList<OperatorKeyView> OperatorKeys, string? NextAfter);

/// <summary>
/// Operator keys under <c>/api/v1/admin/operator-keys</c>: create one with a role (its key shown
/// once), list and read them (no secrets), revoke one. Rotation without downtime: create the new
/// key, switch the tools to it, revoke the old one.
/// </summary>
public static class OperatorKeyApi
{
    public static IEndpointRouteBuilder MapOperatorKeyApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin/operator-keys").RequireAdminKey();
        admin.MapPost("", CreateAsync).WithName("CreateOperatorKey");
        admin.MapGet("", ListAsync).WithName("ListOperatorKeys");
        admin.MapGet("/{id}", GetAsync).WithName("GetOperatorKey");
        admin.MapDelete("/{id}", RevokeAsync).WithName("RevokeOperatorKey");
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, OperatorKeyStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<OperatorKeyRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var name = body!.Name?.Trim();
        var errors = new List<FieldError>(CatalogNames.Validate("name", name));
        if (!OperatorRoles.TryParse(body.Role, out var role))
        {
            errors.Add(new FieldError("role", $"role must be {OperatorRoles.Admin} or {OperatorRoles.Viewer}"));
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_operator_key", "The operator key is invalid", errors);
        }

        var (view, key) = await store.CreateAsync(name!, role, cancellationToken);
        return Results.Created(
            $"/api/v1/admin/operator-keys/{view.Id}",
            new OperatorKeyCreatedResponse(view.Id, view.Name, view.Role, view.Prefix, view.CreatedAt, view.RevokedAt, key));
    }

    private static async Task<IResult> ListAsync(string? limit, string? after, OperatorKeyStore store, CancellationToken cancellationToken)
    {
        var (pageSize, problem) = PageQuery.Parse(limit, after, OperatorKeyStore.MaxPageSize, CatalogIds.OperatorKey, "operator key");
        if (problem is not null)
        {
            return problem;
        }

        var keys = await store.ListAsync(after, pageSize, cancellationToken);
        return Results.Ok(new OperatorKeyPage(keys, keys.Count == pageSize ? keys[^1].Id : null));
    }

    private static async Task<IResult> GetAsync(string id, OperatorKeyStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } key ? Results.Ok(key) : ApiProblem.NotFound("operator_key_not_found", "operator key", id);

    /// <summary>Idempotent: revoking a revoked key is 204 again. This silo forgets the key at once; others within the cache time (at most 5 s).</summary>
    private static async Task<IResult> RevokeAsync(string id, OperatorKeyStore store, OperatorAuthenticator authenticator, CancellationToken cancellationToken)
    {
        if (await store.RevokeAsync(id, cancellationToken) is not { } revoked)
        {
            return ApiProblem.NotFound("operator_key_not_found", "operator key", id);
        }

        authenticator.Forget(id, revoked.Prefix);
        return Results.NoContent();
    }
}
