namespace Billing.Silo.Api.Docs;

/// <summary>
/// Endpoint metadata for the API description: the ProblemDetails answers an endpoint can give, as
/// HTTP status and the stable <c>code</c>s it carries (see <see cref="ApiProblem"/>). An endpoint
/// may hold several; the document lists their union per status.
/// </summary>
public sealed record ProblemCodesMetadata(int StatusCode, IReadOnlyList<string> Codes);

/// <summary>Which credential an endpoint takes: the document's security requirement for it.</summary>
public enum ApiCredential
{
    AdminKey,
    ApiKey,
    DashboardSession,
}

/// <summary>Endpoint metadata naming the <see cref="ApiCredential"/> an endpoint requires.</summary>
public sealed record ApiCredentialMetadata(ApiCredential Credential);

/// <summary>A header or query parameter the handler reads itself, which the API explorer cannot see.</summary>
public sealed record ReadParameterMetadata(string Name, bool InHeader, bool Required, string Description);

/// <summary>
/// <c>ProducesProblems</c>, <c>AcceptsJson</c> and <c>AcceptsOptionalJson</c>: what the OpenAPI document says an
/// endpoint reads and answers, beside its handler. Bodies are read by <see cref="JsonBody"/>, not by parameter
/// binding, so the request type has to be named here.
/// </summary>
public static class ProblemResponses
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>The endpoint can answer <paramref name="statusCode"/> ProblemDetails with each of <paramref name="codes"/>.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, int statusCode, params string[] codes)
        where TBuilder : IEndpointConventionBuilder
    {
        if (statusCode is < 400 or > 599 || codes.Length == 0)
        {
            throw new ArgumentException($"A problem answer is a 4xx or 5xx status with at least one code, not {statusCode} with {codes.Length}.", nameof(codes));
        }

        return builder.WithMetadata(new ProblemCodesMetadata(statusCode, codes));
    }

    /// <summary>A JSON body of <typeparamref name="TRequest"/> read by <see cref="JsonBody.ReadAsync{T}(HttpRequest, CancellationToken, int)"/>, and its 400/413/415 answers.</summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : notnull =>
        builder.Accepts<TRequest>("application/json").WithJsonBodyProblems();

    /// <summary>As <see cref="AcceptsJson{TRequest}"/> for a body every field of which is optional: no body at all is the empty request.</summary>
    public static RouteHandlerBuilder AcceptsOptionalJson<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : notnull =>
        builder.Accepts<TRequest>(isOptional: true, "application/json").WithJsonBodyProblems();

    /// <summary>Which credential the endpoint takes (set by <c>RequireAdminKey()</c>, <c>RequireApiKey()</c> and <c>RequireDashboardSession()</c>).</summary>
    public static TBuilder RequiresCredential<TBuilder>(this TBuilder builder, ApiCredential credential)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiCredentialMetadata(credential));

    /// <summary>The handler reads the request header <paramref name="name"/> itself.</summary>
    public static TBuilder ReadsHeader<TBuilder>(this TBuilder builder, string name, bool required, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ReadParameterMetadata(name, InHeader: true, required, description));

    /// <summary>The handler reads <c>Idempotency-Key</c>: a retry with the same key and body is answered as the first request was.</summary>
    public static TBuilder ReadsIdempotencyKey<TBuilder>(this TBuilder builder, bool required = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ReadsHeader(
            Metering.MeteringApi.IdempotencyKeyHeader, required,
            "Makes a retry safe: the same key and body are answered as the first time (Idempotent-Replayed: true); the same key with another body is 422 idempotency_key_reused.");

    /// <summary>The handler reads the optional query parameter <paramref name="name"/> itself.</summary>
    public static TBuilder ReadsQuery<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ReadParameterMetadata(name, InHeader: false, Required: false, description));

    // What JsonBody and JsonContract answer for a body they refuse.
    private static RouteHandlerBuilder WithJsonBodyProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblems(StatusCodes.Status400BadRequest, "invalid_json", "invalid_request")
        .ProducesProblems(StatusCodes.Status413PayloadTooLarge, "payload_too_large")
        .ProducesProblems(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");
}
