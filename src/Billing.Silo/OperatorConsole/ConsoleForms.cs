using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;

namespace Billing.Silo.OperatorConsole;

/// <summary>The console's forms: small, and only with the antiforgery token of a page this silo rendered for this browser.</summary>
internal static class ConsoleForms
{
    // A few short fields; anything larger is not one of the console's forms.
    private const long MaxFormBytes = 16 * 1024;

    /// <summary>The posted form, or null when its antiforgery token is missing or not this browser's.</summary>
    public static async Task<IFormCollection?> ReadAsync(HttpContext http, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFormBytes;
        }

        return http.Request.HasFormContentType && await antiforgery.IsRequestValidAsync(http)
            ? await http.Request.ReadFormAsync(cancellationToken)
            : null;
    }

    public static IResult Expired() =>
        ConsoleApi.Message(StatusCodes.Status400BadRequest, "The form has expired", "Nothing was done: reload the page and send the form again.");

    /// <summary>303 to <paramref name="path"/> under the console: the browser follows with a GET, and a reload sends nothing again.</summary>
    public static IResult SeeOther(HttpContext http, string path)
    {
        http.Response.Headers.Location = $"{http.Request.PathBase}{ConsolePaths.Root}{path}";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
