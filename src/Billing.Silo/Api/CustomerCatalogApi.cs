using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;

namespace Billing.Silo.Api;

/// <summary><c>GET /api/v1/billing/plans</c>: what a customer can buy, for any live API key.</summary>
public static class CustomerCatalogApi
{
    public static IEndpointRouteBuilder MapCustomerCatalogApi(this IEndpointRouteBuilder routes)
    {
        var billing = routes.MapGroup("/api/v1/billing").RequireApiKey();
        billing.MapGet("/plans", ListPlansAsync).WithName("ListPlans")
            .Produces<PlanPage>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        return routes;
    }

    /// <summary>Plans in creation order; <c>limit</c> 1..500 (default 100), <c>after</c> a plan id from <c>next_after</c>.</summary>
    internal static async Task<IResult> ListPlansAsync(string? limit, string? after, CatalogStore store, CancellationToken cancellationToken)
    {
        var (pageSize, problem) = PageQuery.Parse(limit, after, CatalogStore.MaxPageSize, CatalogIds.Plan, "plan");
        if (problem is not null)
        {
            return problem;
        }

        var plans = await store.ListPlansAsync(after, pageSize, cancellationToken);
        var nextAfter = plans.Count == pageSize ? plans[^1].Id : null;
        return Results.Ok(new PlanPage(plans.Select(CatalogResponses.ToResponse).ToList(), nextAfter));
    }
}
