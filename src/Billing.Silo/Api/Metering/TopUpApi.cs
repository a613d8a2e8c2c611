using System.Security.Cryptography;
using System.Text;
using Billing.Contracts.Metering;
using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Catalog;
using Billing.Silo.Grains;

namespace Billing.Silo.Api.Metering;

/// <summary>
/// <c>POST /api/v1/admin/customers/{id}/subscription/top-ups</c>, behind the admin key: a token pack
/// granted by the operator. The plan's end date and price per token stay; the tokens go through
/// the subscription grain's ledger and journal like any grant. An <c>Idempotency-Key</c> is
/// required: the same key again answers 200 with <c>Idempotent-Replayed: true</c> and adds nothing.
/// </summary>
public static class TopUpApi
{
    /// <summary>A thousand of the largest token plans one would sell; beyond it a typo is likelier than a sale.</summary>
    public const long MaxTokensPerTopUp = 1_000_000_000;

    public static IEndpointRouteBuilder MapTopUpApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/admin").RequireAdminKey()
            .MapPost("/customers/{id}/subscription/top-ups", TopUpAsync).WithName("TopUpTokens")
                .ReadsIdempotencyKey(required: true)
                .AcceptsJson<TopUpRequest>().Produces<SubscriptionResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_top_up").ProducesProblems(StatusCodes.Status404NotFound, "customer_not_found")
                .ProducesProblems(StatusCodes.Status409Conflict, "no_subscription").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused").ProducesProblems(StatusCodes.Status503ServiceUnavailable, "journal_unavailable");
        return routes;
    }

    private static async Task<IResult> TopUpAsync(string id, HttpContext http, IGrainFactory grains, CatalogStore catalog, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TopUpRequest>(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<FieldError>(2);
        if (body!.Tokens is not (>= 1 and <= MaxTokensPerTopUp))
        {
            errors.Add(new FieldError("tokens", $"tokens must be a whole number from 1 to {MaxTokensPerTopUp}"));
        }

        var key = http.Request.Headers.ContainsKey(MeteringApi.IdempotencyKeyHeader) ? http.Request.Headers[MeteringApi.IdempotencyKeyHeader].ToString() : null;
        if ((key is null ? $"{MeteringApi.IdempotencyKeyHeader} is required: a retried top-up must not add its tokens twice" : ConsumeRequest.ValidateIdempotencyKey(key)) is { } keyError)
        {
            errors.Add(new FieldError("idempotency_key", keyError));
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_top_up", "Invalid top-up", errors);
        }

        if (await catalog.GetCustomerAsync(id, cancellationToken) is null)
        {
            return ApiProblem.NotFound("customer_not_found", "customer", id);
        }

        var result = await grains.Subscription(id).TopUpAsync(new TokenTopUp(GrantIdOf(id, key!), new TokenAmount(body.Tokens!.Value)));
        return result.Outcome switch
        {
            TopUpOutcome.ToppedUp => await OkAsync(result.Subscription, catalog, cancellationToken),
            TopUpOutcome.Replayed => await ReplayedAsync(http, result.Subscription, catalog, cancellationToken),
            TopUpOutcome.NoSubscription => ApiProblem.Create(
                StatusCodes.Status409Conflict, "no_subscription", "No subscription", $"Customer {id} has never had a plan: grant one before topping it up."),
            _ => ApiProblem.Create(
                StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "Idempotency key reused",
                $"This {MeteringApi.IdempotencyKeyHeader} topped up a different number of tokens."),
        };
    }

    private static async Task<IResult> ReplayedAsync(HttpContext http, SubscriptionView view, CatalogStore catalog, CancellationToken cancellationToken)
    {
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return await OkAsync(view, catalog, cancellationToken);
    }

    private static async Task<IResult> OkAsync(SubscriptionView view, CatalogStore catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await SubscriptionApi.ResponseAsync(view, catalog, cancellationToken));

    /// <summary>The top-up's grant id: the same customer and key always name the same grant.</summary>
    private static Guid GrantIdOf(string customerId, string idempotencyKey) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"top-up\n{customerId}\n{idempotencyKey}")).AsSpan(0, 16));
}
