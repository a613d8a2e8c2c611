using Billing.Contracts.Metering;
using Billing.Silo.Grains;
using Billing.Domain;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;
using Billing.Silo.Metering;

namespace Billing.Silo.Api.Metering;

internal static class SubscriptionApi
{
    public static async Task<IResult> GetAsync(HttpContext http, IGrainFactory grains, CatalogStore catalog, CancellationToken cancellationToken)
    {
        var view = await grains.Subscription(http.GetApiKeyPrincipal().CustomerId).GetAsync();
        return TypedResults.Ok(await ResponseAsync(view, catalog, cancellationToken));
    }

    /// <summary>Grants or renews a plan's tokens without payment (operators; customers buy through <c>POST /api/v1/billing/purchase</c>).</summary>
    public static async Task<IResult> GrantAsync(string customerId, HttpContext http, IGrainFactory grains, CatalogStore catalog, CancellationToken cancellationToken)
    {
        var customer = await catalog.GetCustomerAsync(customerId, cancellationToken);
        if (customer is null)
        {
            return ApiProblem.NotFound("customer_not_found", "customer", customerId);
        }

        var (request, problem) = await JsonBody.ReadAsync<GrantSubscriptionRequest>(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(request!.PlanId))
        {
            return ApiProblem.Invalid("invalid_subscription_request", "Invalid subscription request", [new FieldError("plan_id", "plan_id is required")]);
        }

        var plan = await catalog.GetPlanAsync(request.PlanId, cancellationToken);
        if (plan is null)
        {
            return ApiProblem.NotFound("plan_not_found", "plan", request.PlanId);
        }

        if (plan.Price.Currency != customer.Currency)
        {
            return ApiProblem.Create(
                StatusCodes.Status422UnprocessableEntity, "currency_mismatch", "Currency mismatch",
                $"Plan {plan.Id} is priced in {plan.Price.Currency}; customer {customer.Id} pays in {customer.Currency}.");
        }

        var view = await grains.Subscription(customer.Id).GrantAsync(PlanGrant.Of(plan));
        // The subscription is now on the plan just read (plans never change): no second read for its name.
        return TypedResults.Ok(Response(view, plan.Name));
    }

    internal static async Task<SubscriptionResponse> ResponseAsync(SubscriptionView view, CatalogStore catalog, CancellationToken cancellationToken)
    {
        var plan = view.PlanId is null ? null : await catalog.GetPlanAsync(view.PlanId, cancellationToken);
        return Response(view, plan?.Name);
    }

    internal static SubscriptionResponse Response(SubscriptionView view, string? planName) =>
        new(view.CustomerId, view.PlanId, planName, view.TokensGranted, view.TokensRemaining, view.TokensConsumed, view.StartedAt, view.EndsAt, view.IsActive, view.IsSuspended);
}
