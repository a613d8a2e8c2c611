using System.Globalization;
using Billing.Domain;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;

namespace Billing.Silo.Api;

/// <summary><c>GET /api/v1/billing/plans</c>: what a customer can buy, for any live API key.</summary>
public static class CustomerCatalogApi
{
    public const int DefaultPageSize = 100;

    public static IEndpointRouteBuilder MapCustomerCatalogApi(this IEndpointRouteBuilder routes)
    {
        var billing = routes.MapGroup("/api/v1/billing").RequireApiKey();
        billing.MapGet("/plans", ListPlansAsync).WithName("ListPlans");
        return routes;
    }

    /// <summary>Plans in creation order; <c>limit</c> 1..500 (default 100), <c>after</c> a plan id from <c>next_after</c>.</summary>
    internal static async Task<IResult> ListPlansAsync(string? limit, string? after, CatalogStore store, CancellationToken cancellationToken)
    {
        var pageSize = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > CatalogStore.MaxPageSize))
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_query", "Invalid query", $"limit must be a whole number from 1 to {CatalogStore.MaxPageSize}.");
        }

        if (after is not null && !CatalogIds.IsWellFormed(after, CatalogIds.Plan))
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_query", "Invalid query", "after must be a plan id, as given in next_after.");
        }

        var plans = await store.ListPlansAsync(after, pageSize, cancellationToken);
        var nextAfter = plans.Count == pageSize ? plans[^1].Id : null;
        return Results.Ok(new PlanPage(plans.Select(PlanResponse.From).ToList(), nextAfter));
    }
}
