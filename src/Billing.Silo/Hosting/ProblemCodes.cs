using Microsoft.AspNetCore.Http;

namespace Billing.Silo.Hosting;

/// <summary>
/// Every error body carries a stable machine-readable <c>code</c>. Endpoints set their own
/// (e.g. <c>insufficient_tokens</c>); anything else gets one derived from its status.
/// </summary>
public static class ProblemCodes
{
    public static void AddStableCode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!problem.Extensions.ContainsKey("code"))
        {
            problem.Extensions["code"] = FromStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
        }
    }

    public static string FromStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "payload_too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status422UnprocessableEntity => "unprocessable_entity",
        StatusCodes.Status429TooManyRequests => "too_many_requests",
        StatusCodes.Status503ServiceUnavailable => "service_unavailable",
        >= 500 => "internal_error",
        _ => "error",
    };
}
