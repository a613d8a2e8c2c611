using Microsoft.Net.Http.Headers;

namespace Billing.Silo.Hosting;

/// <summary>
/// Headers every response carries, and a strict Content-Security-Policy on the silo's own HTML
/// (invoices, credit notes, the dashboard's login form): no script, nothing from elsewhere, never
/// framed. A page that sets its own policy keeps it; the Orleans dashboard's and the API reference's
/// pages run their own scripts from this silo, so they get only <c>frame-ancestors 'none'</c>.
/// </summary>
public static class SecurityHeaders
{
    public const string DocumentPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    public const string ScriptedPagePolicy = "frame-ancestors 'none'";

    // Pages served by libraries (the Orleans dashboard, Scalar) that load their own scripts and styles.
    private static readonly string[] ScriptedPagePrefixes = ["/dashboard/", "/docs"];

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state => Add((HttpContext)state), context);
            return next(context);
        });
        return app;
    }

    private static Task Add(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.TryAdd(HeaderNames.XFrameOptions, "DENY");
        headers.TryAdd("Referrer-Policy", "no-referrer");
        if (IsHtml(context.Response.ContentType) && !headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
        {
            var path = context.Request.Path.Value ?? "";
            var scripted = ScriptedPagePrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                && !path.StartsWith(Dashboard.DashboardPaths.Login, StringComparison.OrdinalIgnoreCase);
            headers.ContentSecurityPolicy = scripted ? ScriptedPagePolicy : DocumentPolicy;
        }

        return Task.CompletedTask;
    }

    private static bool IsHtml(string? contentType) =>
        contentType is not null && contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase);
}
