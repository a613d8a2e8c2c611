using Billing.Silo.Hosting;
using System.Text.Encodings.Web;

namespace Billing.Silo.Dashboard;

/// <summary>The login form of an <see cref="AdminLoginArea"/> (<c>/dashboard/login</c>, <c>/console/login</c>): one password field for the admin key, no script.</summary>
internal static class DashboardLoginPage
{
    public const string KeyField = "admin_key";

    public static IResult Render(HttpContext http, AdminLoginArea area, string? error, int statusCode)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        // No script, no outside resources, posts only to this silo, never framed (SecurityHeaders adds the rest).
        headers.ContentSecurityPolicy = SecurityHeaders.DocumentPolicy;
        var action = HtmlEncoder.Default.Encode($"{http.Request.PathBase}{area.Login}");
        var title = HtmlEncoder.Default.Encode(area.Title);
        var message = error is null ? "" : $"""<p class="error" role="alert">{HtmlEncoder.Default.Encode(error)}</p>""";
        return Results.Content(Html(title, action, message), "text/html; charset=utf-8", statusCode: statusCode);
    }

    private static string Html(string title, string action, string message) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}: log in</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem; }
          label, input, button { display: block; width: 100%; box-sizing: border-box; font-size: 1rem; }
          input { margin: .5rem 0 1rem; padding: .5rem; }
          button { padding: .5rem; }
          .error { color: #b00020; }
        </style>
        </head>
        <body>
        <h1>{{title}}</h1>
        {{message}}
        <form method="post" action="{{action}}">
          <label for="admin-key">Admin key or operator key</label>
          <input type="password" id="admin-key" name="{{KeyField}}" autocomplete="current-password" required autofocus>
          <button type="submit" id="log-in">Log in</button>
        </form>
        </body>
        </html>
        """;
}
