using Billing.Silo.Api.Docs;
using Billing.Silo.Audit;
using Billing.Silo.Auth;
using Billing.Silo.Security;
using Microsoft.Extensions.Primitives;

namespace Billing.Silo.Api;

/// <summary>
/// <c>RequireAdminKey()</c> and <c>RequireApiKey()</c> for endpoints and route groups. They run as
/// endpoint filters before the handler reads any body, and answer 401 ProblemDetails with
/// <c>WWW-Authenticate: Bearer</c>.
/// </summary>
public static class AuthEndpointExtensions
{
    public const string ApiKeyHeader = "X-API-Key";

    // Far above any real key (55..87 characters), far below header limits: nothing longer is hashed or parsed.
    private const int MaxCredentialLength = 512;

    private static readonly object PrincipalItemKey = new();

    /// <summary>
    /// Only requests with <c>Authorization: Bearer</c> and the admin key or a live operator key; otherwise
    /// 401 <c>unauthorized</c>. Reads (GET, HEAD) need any role; anything else needs <c>admin</c>
    /// (a viewer gets 403 <c>forbidden_role</c>) and is audited when it succeeds (<see cref="AdminAudit"/>).
    /// </summary>
    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.DocumentCredential(ApiCredential.AdminKey, "unauthorized").AddEndpointFilter(static async (context, next) =>
        {
            var http = context.HttpContext;
            var limits = http.RequestServices.GetRequiredService<RequestLimits>();
            if (limits.IsBlocked(http, out var wait))
            {
                return TooManyFailures(http, wait);
            }

            var presented = BearerToken(http.Request);
            var principal = presented is null ? null : await http.RequestServices.GetRequiredService<OperatorAuthenticator>().AuthenticateAsync(presented, http.RequestAborted);
            if (principal is null)
            {
                limits.NoteFailure(http);
                return Unauthorized(http, "unauthorized", "This endpoint needs an operator key: send Authorization: Bearer <admin key or operator key>.");
            }

            if (IsRead(http.Request))
            {
                return await next(context);
            }

            return principal.CanWrite
                ? await AdminAudit.RunAuditedAsync(context, next, principal)
                : ApiProblem.Create(StatusCodes.Status403Forbidden, "forbidden_role", "Forbidden",
                    $"Operator key {principal.KeyId} has the role {principal.Role.ToText()}, which may only read (GET); {http.Request.Method} needs the role admin.");
        });

    /// <summary>
    /// Only requests with a live API key in <c>Authorization: Bearer</c> or <c>X-API-Key</c>; otherwise
    /// 401 <c>invalid_api_key</c>. Handlers read who called with <see cref="GetApiKeyPrincipal"/>.
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.DocumentCredential(ApiCredential.ApiKey, "invalid_api_key").AddEndpointFilter(static async (context, next) =>
        {
            var http = context.HttpContext;
            var limits = http.RequestServices.GetRequiredService<RequestLimits>();
            if (limits.IsBlocked(http, out var wait))
            {
                return TooManyFailures(http, wait);
            }

            var presented = BearerToken(http.Request) ?? SingleValue(http.Request.Headers[ApiKeyHeader]);
            if (presented is null)
            {
                limits.NoteFailure(http);
                return Unauthorized(http, "invalid_api_key", $"An API key is required: send Authorization: Bearer <key> or {ApiKeyHeader}: <key>.");
            }

            var principal = await http.RequestServices.GetRequiredService<IApiKeyAuthenticator>().AuthenticateAsync(presented, http.RequestAborted);
            if (principal is null)
            {
                limits.NoteFailure(http);
                return Unauthorized(http, "invalid_api_key", "The API key is malformed, unknown or revoked.");
            }

            http.Items[PrincipalItemKey] = principal;
            AuditContext.Begin(AuditActor.Customer(principal));
            return await next(context);
        });

    /// <summary>
    /// After <see cref="RequireApiKey{TBuilder}"/>: a metered request takes a token from its key's
    /// bucket (<c>Billing:RateLimits</c>), or is 429 <c>rate_limited</c> with <c>Retry-After</c>.
    /// </summary>
    public static TBuilder RequireMeteredRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblems(StatusCodes.Status429TooManyRequests, "rate_limited").AddEndpointFilter(static async (context, next) =>
        {
            var http = context.HttpContext;
            if (!http.RequestServices.GetRequiredService<RequestLimits>().TryAcquireMetered(http.GetApiKeyPrincipal().KeyId, out var wait))
            {
                http.Response.Headers.RetryAfter = RequestLimits.RetryAfterSeconds(wait);
                return ApiProblem.Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests",
                    $"This API key sent more metered requests than its limit allows; retry in {RequestLimits.RetryAfterSeconds(wait)} s.");
            }

            return await next(context);
        });

    /// <summary>Who the request's API key speaks for; throws when the endpoint lacks <see cref="RequireApiKey{TBuilder}"/>.</summary>
    public static ApiKeyPrincipal GetApiKeyPrincipal(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(PrincipalItemKey, out var value) && value is ApiKeyPrincipal principal
            ? principal
            : throw new InvalidOperationException("No API key principal on this request: map the endpoint inside a RequireApiKey() group.");
    }

    /// <summary>The credential of <c>Authorization: Bearer …</c>, or null when the header is absent, repeated or oversized.</summary>
    /// <summary>A request any operator role may make (GET, HEAD); anything else needs the role admin.</summary>
    internal static bool IsRead(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

    internal static string? BearerToken(HttpRequest request)
    {
        const string Scheme = "Bearer ";
        var header = SingleValue(request.Headers.Authorization);
        return header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? NullIfEmpty(header[Scheme.Length..].Trim())
            : null;
    }

    /// <summary>A header sent once with a bounded value; repeated or oversized headers count as absent.</summary>
    private static string? SingleValue(StringValues values) =>
        values.Count == 1 && values[0] is { Length: > 0 and <= MaxCredentialLength } value ? NullIfEmpty(value.Trim()) : null;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static IResult TooManyFailures(HttpContext http, TimeSpan wait)
    {
        http.Response.Headers.RetryAfter = RequestLimits.RetryAfterSeconds(wait);
        return ApiProblem.Create(StatusCodes.Status429TooManyRequests, "too_many_failed_authentications", "Too many failed authentications",
            "This address sent too many requests with a missing or wrong key; wait before trying again.");
    }

    /// <summary>For the API description: the credential, the 401 <paramref name="unauthorizedCode"/>, and the 429 of too many failures.</summary>
    internal static TBuilder DocumentCredential<TBuilder>(this TBuilder builder, ApiCredential credential, string unauthorizedCode)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequiresCredential(credential)
            .ProducesProblems(StatusCodes.Status401Unauthorized, unauthorizedCode)
            .ProducesProblems(StatusCodes.Status429TooManyRequests, "too_many_failed_authentications");

    internal static IResult Unauthorized(HttpContext http, string code, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblem.Create(StatusCodes.Status401Unauthorized, code, "Unauthorized", detail);
    }
}
