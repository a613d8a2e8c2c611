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
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static async (context, next) =>
        {
            var http = context.HttpContext;
            if (await IsAllowedAsync(http))
            {
                // The dashboard shows the cluster's internals; no other site may frame it.
                http.Response.Headers.XFrameOptions = "DENY";
                return await next(context);
            }

            return WantsPage(http.Request)
                ? Results.Redirect($"{http.Request.PathBase}{DashboardPaths.Login}")
                : AuthEndpointExtensions.Unauthorized(
                    http, "unauthorized", $"The dashboard needs a login at {DashboardPaths.Login}, or Authorization: Bearer <admin key>.");
        });

    /// <summary>A presented Bearer credential decides alone: a wrong one is refused even beside a valid cookie.</summary>
    private static async ValueTask<bool> IsAllowedAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var bearer = AuthEndpointExtensions.BearerToken(http.Request);
        var cookies = http.Request.Cookies;
        return bearer is not null
            ? await services.GetRequiredService<OperatorAuthenticator>().AuthenticateAsync(bearer, http.RequestAborted) is not null
            : await services.GetRequiredService<DashboardSessions>().IsValidAsync(
                cookies[DashboardSessions.CookieName], cookies[DashboardSessions.OperatorCookieName], http.RequestAborted);
    }

    /// <summary>A browser navigating (it asks for HTML), not the dashboard's script asking for JSON.</summary>
    private static bool WantsPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && AcceptsHtml(request);

    internal static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
