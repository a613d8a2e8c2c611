using Billing.Silo.Api.Docs;
using Billing.Silo.Api;
using Billing.Silo.Auth;
using Billing.Silo.Security;
using Microsoft.AspNetCore.Http.Features;
using Orleans.Dashboard;

namespace Billing.Silo.Dashboard;

/// <summary>The login form's one field, for the API description (the handler reads the form itself).</summary>
public sealed record DashboardLoginRequest(string AdminKey);

/// <summary>
/// The Orleans dashboard under <c>/dashboard</c>, behind the admin key or an operator key (any role), and its login:
/// <c>GET /dashboard/login</c> shows a form for the admin key, <c>POST /dashboard/login</c> checks
/// it and sets an HttpOnly, SameSite=Strict session cookie (Secure over HTTPS) holding a signed
/// expiry, never the key; <c>/dashboard/logout</c> drops the cookie.
/// </summary>
public static class DashboardApi
{
    // A form with one key field; anything larger is not a login.
    private const long MaxLoginBodyBytes = 4096;

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder routes)
    {
        routes.MapAdminLogin(AdminLoginArea.Dashboard, "Dashboard");
        routes.MapOrleansDashboard(routePrefix: DashboardPaths.Root).RequireDashboardSession().RequireKnownSilo();
        return routes;
    }

    /// <summary>The login form, login and logout of <paramref name="area"/>; endpoint names start with <paramref name="name"/>.</summary>
    public static IEndpointRouteBuilder MapAdminLogin(this IEndpointRouteBuilder routes, AdminLoginArea area, string name)
    {
        routes.MapGet(area.Login, (HttpContext http) => DashboardLoginPage.Render(http, area, error: null, StatusCodes.Status200OK))
            .WithName($"{name}LoginForm").Produces<string>(StatusCodes.Status200OK, "text/html");
        routes.MapPost(area.Login, (HttpContext http, OperatorAuthenticator operators, DashboardSessions sessions, ILogger<DashboardSessions> logger) =>
                LogInAsync(http, area, operators, sessions, logger)).WithName($"{name}Login")
            .Accepts<DashboardLoginRequest>("application/x-www-form-urlencoded").Produces(StatusCodes.Status303SeeOther)
            .ProducesProblems(StatusCodes.Status400BadRequest, "invalid_form").ProducesProblems(StatusCodes.Status401Unauthorized, "unauthorized")
            .ProducesProblems(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");
        routes.MapMethods(area.Logout, [HttpMethods.Get, HttpMethods.Post], (HttpContext http) => LogOut(http, area)).WithName($"{name}Logout")
            .Produces(StatusCodes.Status303SeeOther);
        return routes;
    }

    private static async Task<IResult> LogInAsync(
        HttpContext http, AdminLoginArea area, OperatorAuthenticator operators, DashboardSessions sessions, ILogger<DashboardSessions> logger)
    {
        var request = http.Request;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxLoginBodyBytes;
        }

        if (!request.HasFormContentType)
        {
            return ApiProblem.Create(
                StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type",
                $"Post the admin key as the form field {DashboardLoginPage.KeyField} (application/x-www-form-urlencoded).");
        }

        var form = await request.ReadFormAsync(http.RequestAborted);
        var presented = form[DashboardLoginPage.KeyField] is [{ Length: > 0 and <= AdminKeyOptions.MaxLength } one] ? one.Trim() : null;
        var remote = http.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";
        var principal = presented is null ? null : await operators.AuthenticateAsync(presented, http.RequestAborted);
        if (principal is null)
        {
            DashboardLog.LoginRefused(logger, area.Title, remote);
            const string Refused = "That is not the admin key nor a live operator key.";
            return DashboardSessionFilter.AcceptsHtml(request)
                ? DashboardLoginPage.Render(http, area, Refused, StatusCodes.Status401Unauthorized)
                : ApiProblem.Create(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized", Refused);
        }

        var operatorKeyId = principal.KeyId == OperatorPrincipal.AdminKeyId ? null : principal.KeyId;
        var (token, expiresAt) = await sessions.IssueAsync(operatorKeyId);
        http.Response.Cookies.Append(area.CookieName, token, CookieOptions(http, area, expiresAt));
        if (operatorKeyId is not null)
        {
            http.Response.Cookies.Append(area.OperatorCookieName, operatorKeyId, CookieOptions(http, area, expiresAt));
        }
        else if (request.Cookies.ContainsKey(area.OperatorCookieName))
        {
            http.Response.Cookies.Delete(area.OperatorCookieName, CookieOptions(http, area, expiresAt: null));
        }

        DashboardLog.LoggedIn(logger, area.Title, remote, expiresAt);
        // 303: the browser follows with a GET, and a reload does not post the key again.
        http.Response.Headers.Location = $"{request.PathBase}{area.Root}/";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static IResult LogOut(HttpContext http, AdminLoginArea area)
    {
        http.Response.Cookies.Delete(area.CookieName, CookieOptions(http, area, expiresAt: null));
        if (http.Request.Cookies.ContainsKey(area.OperatorCookieName))
        {
            http.Response.Cookies.Delete(area.OperatorCookieName, CookieOptions(http, area, expiresAt: null));
        }

        http.Response.Headers.Location = $"{http.Request.PathBase}{area.Login}";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>
    /// HttpOnly: no page's script needs it. Strict: no other site's page can make the
    /// browser send it. Secure only over HTTPS, since a plain-HTTP silo on loopback must work too.
    /// </summary>
    private static CookieOptions CookieOptions(HttpContext http, AdminLoginArea area, DateTimeOffset? expiresAt) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = $"{http.Request.PathBase}{area.Root}",
        Expires = expiresAt,
        IsEssential = true,
    };
}
