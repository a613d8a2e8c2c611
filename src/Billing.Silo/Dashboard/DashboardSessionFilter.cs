using Billing.Silo.Api.Docs;
using Billing.Silo.Api;
using Billing.Silo.Security;
using Microsoft.Net.Http.Headers;

namespace Billing.Silo.Dashboard;

/// <summary>
/// <c>RequireDashboardSession()</c>: the admin key or an operator key of any role (the dashboard only shows) as <c>Authorization: Bearer</c> (scripts) or a
/// live session cookie from <c>/dashboard/login</c> (browsers). Otherwise a page request is sent
/// to the login form and anything else gets 401 ProblemDetails, which the dashboard's own script
/// shows as an error until the page is reloaded.
/// </summary>
public static class DashboardSessionFilter
{
    public static TBuilder RequireDashboardSession<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAdminSession(AdminLoginArea.Dashboard);

    /// <summary>As <see cref="RequireDashboardSession"/>, with <paramref name="area"/>'s cookie and login form.</summary>
    public static TBuilder RequireAdminSession<TBuilder>(this TBuilder builder, AdminLoginArea area)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequiresCredential(ApiCredential.DashboardSession).ProducesProblems(StatusCodes.Status401Unauthorized, "unauthorized")
            .ProducesProblems(StatusCodes.Status403Forbidden, "forbidden_role").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (await RoleOfAsync(http, area) is { } role)
            {
                // Never framed either: SecurityHeaders sends X-Frame-Options: DENY on every answer.
                return role == OperatorRole.Admin || AuthEndpointExtensions.IsRead(http.Request)
                    ? await next(context)
                    : ApiProblem.Create(StatusCodes.Status403Forbidden, "forbidden_role", "Forbidden", $"A viewer's session may only read; {http.Request.Method} needs the role admin.");
            }

            return WantsPage(http.Request)
                ? Results.Redirect($"{http.Request.PathBase}{area.Login}")
                : AuthEndpointExtensions.Unauthorized(
                    http, "unauthorized", $"The {area.Title} needs a login at {area.Login}, or Authorization: Bearer <admin key>.");
        });

    /// <summary>A presented Bearer credential decides alone: a wrong one is refused even beside a valid cookie. Null: not allowed.</summary>
    private static async ValueTask<OperatorRole?> RoleOfAsync(HttpContext http, AdminLoginArea area)
    {
        var services = http.RequestServices;
        var bearer = AuthEndpointExtensions.BearerToken(http.Request);
        var cookies = http.Request.Cookies;
        return bearer is not null
            ? (await services.GetRequiredService<OperatorAuthenticator>().AuthenticateAsync(bearer, http.RequestAborted))?.Role
            : await services.GetRequiredService<DashboardSessions>().RoleOfAsync(cookies[area.CookieName], cookies[area.OperatorCookieName], http.RequestAborted);
    }

    /// <summary>A browser navigating (it asks for HTML), not the dashboard's script asking for JSON.</summary>
    private static bool WantsPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && AcceptsHtml(request);

    internal static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
