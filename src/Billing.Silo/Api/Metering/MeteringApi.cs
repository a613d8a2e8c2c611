using Billing.Contracts.Metering;
using Billing.Silo.Api.Docs;
using Billing.Silo.Grains;
using Billing.Silo.Auth;
using Billing.Silo.Metering;

namespace Billing.Silo.Api.Metering;

/// <summary>
/// The customer's metering API (API key): consume tokens, ingest a batch, read the current
/// period's usage and the subscription. Each handler authenticates (filter), reads and validates
/// the body, and makes one grain call: the grains decide.
/// </summary>
public static class MeteringApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapMeteringApi(this IEndpointRouteBuilder routes)
    {
        var customer = routes.MapGroup("/api/v1").RequireApiKey();
        customer.MapPost("/billing/tokens/consume", ConsumeAsync).WithName("ConsumeTokens")
            .ReadsIdempotencyKey()
            .AcceptsJson<ConsumeRequest>().Produces<ConsumeResponse>()
            .ProducesProblems(StatusCodes.Status402PaymentRequired, "insufficient_tokens", "account_suspended").ProducesProblems(StatusCodes.Status403Forbidden, "no_active_subscription")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused").ProducesProblems(StatusCodes.Status503ServiceUnavailable, "journal_unavailable").RequireMeteredRateLimit();
        customer.MapPost("/usage/batch", UsageBatchApi.IngestAsync).WithName("IngestUsageBatch")
            .AcceptsJson<UsageBatchRequest>().Produces<UsageBatchResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_batch").ProducesProblems(StatusCodes.Status503ServiceUnavailable, "journal_unavailable").RequireMeteredRateLimit();
        customer.MapGet("/usage", UsageAsync).WithName("CurrentPeriodUsage")
            .Produces<ShopUsageView>();
        customer.MapGet("/billing/subscription", SubscriptionApi.GetAsync).WithName("GetSubscription")
            .Produces<SubscriptionResponse>();
        routes.MapGroup("/api/v1/admin").RequireAdminKey()
            .MapPost("/customers/{customerId}/subscription", SubscriptionApi.GrantAsync).WithName("GrantSubscription")
                .AcceptsJson<GrantSubscriptionRequest>().Produces<SubscriptionResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_subscription_request")
                .ProducesProblems(StatusCodes.Status404NotFound, "customer_not_found", "plan_not_found").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "currency_mismatch").ProducesProblems(StatusCodes.Status503ServiceUnavailable, "journal_unavailable");
        return routes;
    }

    private static async Task<IResult> ConsumeAsync(HttpContext http, IGrainFactory grains, BackdateWindow backdating, CancellationToken cancellationToken)
    {
        var principal = http.GetApiKeyPrincipal();
        var (body, problem) = await JsonBody.ReadAsync<ConsumeRequest>(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var request = body!;
        var idempotencyKey = IdempotencyKeyOf(http.Request);
        var errors = Problems(request, idempotencyKey, backdating);
        if (errors.Count == 0
            && BackdateWindow.CheckNotBeforeShop(request, await backdating.FirstPeriodStartAsync(principal.ShopId, [request], cancellationToken)) is { } beforeShop)
        {
            errors.Add(beforeShop);
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_request", "Invalid consume request", errors);
        }

        var result = await grains.Subscription(principal.CustomerId).ConsumeAsync(Command(principal, request, idempotencyKey));
        if (result.Outcome == ConsumeOutcome.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return Answer(result, request.Tokens);
    }

    /// <summary>
    /// The request's <c>Idempotency-Key</c>, or null when it sent none. An empty header is a key like any other
    /// (and is refused as one): a client that meant to send a key must not get a non-idempotent call instead.
    /// </summary>
    internal static string? IdempotencyKeyOf(HttpRequest request) =>
        request.Headers.TryGetValue(IdempotencyKeyHeader, out var values) ? values.ToString() : null;

    private static async Task<IResult> UsageAsync(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.Shop(http.GetApiKeyPrincipal().ShopId).GetCurrentPeriodAsync());

    /// <summary>Everything wrong with one consume (a single call or a batch event): its fields, its idempotency key, its occurred_at.</summary>
    internal static List<Domain.FieldError> Problems(ConsumeRequest request, string? idempotencyKey, BackdateWindow backdating)
    {
        var errors = request.Validate();
        if (ConsumeRequest.ValidateIdempotencyKey(idempotencyKey) is { } keyError)
        {
            errors.Add(new Domain.FieldError("idempotency_key", keyError));
        }

        if (backdating.Check(request) is { } whenError)
        {
            errors.Add(whenError);
        }

        return errors;
    }

    internal static ConsumeCommand Command(ApiKeyPrincipal principal, ConsumeRequest request, string? idempotencyKey) =>
        new(principal.ShopId, principal.KeyId, new Domain.TokenAmount(request.Tokens), request.Description, request.Endpoint, request.Method,
            request.StatusCode, idempotencyKey, idempotencyKey is null ? null : request.Hash(), request.OccurredAt?.ToUnixTimeMilliseconds());

    internal static (int Status, string? Code, string Title) Classify(ConsumeOutcome outcome) => outcome switch
    {
        ConsumeOutcome.Accepted or ConsumeOutcome.Replayed => (StatusCodes.Status200OK, null, "OK"),
        ConsumeOutcome.InsufficientTokens => (StatusCodes.Status402PaymentRequired, "insufficient_tokens", "Insufficient tokens"),
        ConsumeOutcome.NoActiveSubscription => (StatusCodes.Status403Forbidden, "no_active_subscription", "No active subscription"),
        ConsumeOutcome.IdempotencyKeyReused => (StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "Idempotency key reused"),
        ConsumeOutcome.AccountSuspended => (StatusCodes.Status402PaymentRequired, "account_suspended", "Account suspended"),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown consume outcome"),
    };

    private static IResult Answer(ConsumeResult result, long requestedTokens)
    {
        if (result.IsAccepted)
        {
            return TypedResults.Ok(new ConsumeResponse(result.TokensRemaining, result.UsedTokens, result.UsageId!.Value));
        }

        var (status, code, title) = Classify(result.Outcome);
        var detail = result.Outcome switch
        {
            ConsumeOutcome.InsufficientTokens => $"{requestedTokens} tokens requested, {result.TokensRemaining} remain; nothing was deducted.",
            ConsumeOutcome.NoActiveSubscription => "The customer has no active subscription (none granted, expired, or no tokens left).",
            ConsumeOutcome.AccountSuspended => "The account is suspended: an invoice is unpaid after every collection retry. Nothing was deducted; paying the invoice reinstates the account at once.",
            _ => $"This {IdempotencyKeyHeader} was used before with a different request body.",
        };
        return ApiProblem.Create(status, code!, title, detail);
    }
}
