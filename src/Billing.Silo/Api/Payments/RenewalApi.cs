using Billing.Contracts.Payments;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;
using Billing.Silo.Payments.Renewals;

namespace Billing.Silo.Api.Payments;

/// <summary>
/// Recurring plans' renewals: the customer (API key) sees its renewal, turns it off (the plan then
/// runs to its period's end and stops) and back on before that end; the operator (admin key) sees
/// any customer's.
/// </summary>
public static class RenewalApi
{
    public static IEndpointRouteBuilder MapRenewalApi(this IEndpointRouteBuilder routes)
    {
        var customer = routes.MapGroup("/api/v1/billing/renewal").RequireApiKey();
        customer.MapGet("/", CustomerGetAsync).WithName("GetPlanRenewal")
            .Produces<PlanRenewalResponse>().ProducesProblems(StatusCodes.Status404NotFound, "renewal_not_found");
        customer.MapDelete("/", CancelAsync).WithName("CancelPlanRenewal")
            .Produces<PlanRenewalResponse>().ProducesProblems(StatusCodes.Status404NotFound, "renewal_not_found").ProducesProblems(StatusCodes.Status409Conflict, "renewal_not_scheduled", "renewal_changed");
        customer.MapPost("/resume", ResumeAsync).WithName("ResumePlanRenewal")
            .Produces<PlanRenewalResponse>().ProducesProblems(StatusCodes.Status404NotFound, "renewal_not_found").ProducesProblems(StatusCodes.Status409Conflict, "renewal_not_resumable", "renewal_changed");
        routes.MapGroup("/api/v1/admin/customers").RequireAdminKey().MapGet("/{customerId}/renewal", AdminGetAsync).WithName("AdminGetPlanRenewal")
            .Produces<PlanRenewalResponse>().ProducesProblems(StatusCodes.Status404NotFound, "renewal_not_found");
        return routes;
    }

    private static async Task<IResult> CustomerGetAsync(HttpContext http, PlanRenewalStore renewals, CatalogStore catalog, CancellationToken cancellationToken) =>
        await AnswerAsync(http.GetApiKeyPrincipal().CustomerId, renewals, catalog, cancellationToken);

    private static async Task<IResult> AdminGetAsync(string customerId, PlanRenewalStore renewals, CatalogStore catalog, CancellationToken cancellationToken) =>
        await AnswerAsync(customerId, renewals, catalog, cancellationToken);

    private static async Task<IResult> CancelAsync(HttpContext http, PlanRenewalStore renewals, CatalogStore catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        var customerId = http.GetApiKeyPrincipal().CustomerId;
        if (await renewals.GetAsync(customerId, cancellationToken) is not { } renewal)
        {
            return NotFound(customerId);
        }

        if (renewal.Status == RenewalStatus.Cancelled && renewal.EndedReason == StoredRenewal.ByCustomer)
        {
            return TypedResults.Ok(await ResponseAsync(renewal, catalog, cancellationToken)); // turned off already: the same answer
        }

        if (renewal.Status != RenewalStatus.Scheduled)
        {
            return NotScheduled(renewal);
        }

        // The grain's next tick finds it cancelled and removes its reminder.
        return await renewals.EndAsync(renewal, RenewalStatus.Cancelled, StoredRenewal.ByCustomer, renewal.Attempts, time.GetUtcNow(), cancellationToken)
            ? await AnswerAsync(customerId, renewals, catalog, cancellationToken)
            : Moved();
    }

    private static async Task<IResult> ResumeAsync(
        HttpContext http, PlanRenewalStore renewals, CatalogStore catalog, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var customerId = http.GetApiKeyPrincipal().CustomerId;
        if (await renewals.GetAsync(customerId, cancellationToken) is not { } renewal)
        {
            return NotFound(customerId);
        }

        if (renewal.Status == RenewalStatus.Scheduled)
        {
            return TypedResults.Ok(await ResponseAsync(renewal, catalog, cancellationToken));
        }

        var now = time.GetUtcNow();
        if (renewal.EndedReason != StoredRenewal.ByCustomer || renewal.PeriodEnd <= now)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, "renewal_not_resumable", "Renewal cannot be resumed",
                $"The renewal is {StoredRenewal.StatusName(renewal.Status)} ({renewal.EndedReason}) and its period ended or it was not turned off by you; buy the plan again instead.");
        }

        if (!await renewals.ResumeAsync(renewal, now, cancellationToken))
        {
            return Moved();
        }

        await grains.GetGrain<IPlanRenewalGrain>(customerId).RenewDueAsync();
        return await AnswerAsync(customerId, renewals, catalog, cancellationToken);
    }

    private static async Task<IResult> AnswerAsync(string customerId, PlanRenewalStore renewals, CatalogStore catalog, CancellationToken cancellationToken) =>
        await renewals.GetAsync(customerId, cancellationToken) is { } renewal
            ? TypedResults.Ok(await ResponseAsync(renewal, catalog, cancellationToken))
            : NotFound(customerId);

    private static async Task<PlanRenewalResponse> ResponseAsync(StoredRenewal r, CatalogStore catalog, CancellationToken cancellationToken)
    {
        var plan = await catalog.GetPlanAsync(r.PlanId, cancellationToken);
        return new PlanRenewalResponse(
            r.CustomerId, r.PlanId, StoredRenewal.StatusName(r.Status), r.EndedReason, r.PeriodEnd, plan?.Price.Amount, plan?.Price.Currency.Code, r.Attempts, r.FirstFailedAt,
            r.Status == RenewalStatus.Scheduled ? r.NextAttemptAt : null);
    }

    private static IResult NotFound(string customerId) => ApiProblem.NotFound("renewal_not_found", "plan renewal of customer", customerId);

    private static IResult NotScheduled(StoredRenewal renewal) =>
        ApiProblem.Create(StatusCodes.Status409Conflict, "renewal_not_scheduled", "Renewal not scheduled",
            $"The renewal is {StoredRenewal.StatusName(renewal.Status)} ({renewal.EndedReason}); there is nothing to turn off.");

    private static IResult Moved() =>
        ApiProblem.Create(StatusCodes.Status409Conflict, "renewal_changed", "Renewal changed", "The renewal changed while this request was made (an attempt ran); read it and try again.");
}
