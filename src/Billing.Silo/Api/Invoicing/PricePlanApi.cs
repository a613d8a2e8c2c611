using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Invoicing;

namespace Billing.Silo.Api.Invoicing;

/// <summary>
/// Price plans under <c>/api/v1/admin/price-plans</c>, behind the admin key: the charges a shop's
/// usage and seats are invoiced by (flat, per unit, per seat, tiered, package, revenue share).
/// Plans are immutable once created: a shop changes plan rather than a plan changing under it.
/// </summary>
public static class PricePlanApi
{
    public static IEndpointRouteBuilder MapPricePlanApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAdminKey();
        admin.MapPost("/price-plans", CreateAsync).WithName("CreatePricePlan")
            .AcceptsJson<PricePlanDraft>().Produces<PricePlanResponse>(StatusCodes.Status201Created).ProducesProblems(StatusCodes.Status400BadRequest, "invalid_price_plan");
        admin.MapGet("/price-plans", ListAsync).WithName("ListPricePlans")
            .Produces<PricePlanPage>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        admin.MapGet("/price-plans/{id}", GetAsync).WithName("GetPricePlan")
            .Produces<PricePlanResponse>().ProducesProblems(StatusCodes.Status404NotFound, "price_plan_not_found");
        return routes;
    }

    /// <summary>The body is a <see cref="PricePlanDraft"/>; 400 <c>invalid_price_plan</c> names every field that breaks a rule.</summary>
    private static async Task<IResult> CreateAsync(HttpRequest request, PricePlanStore store, CancellationToken cancellationToken)
    {
        var (draft, problem) = await JsonBody.ReadAsync<PricePlanDraft>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!PricePlan.TryCreate(CatalogIds.New(CatalogIds.PricePlan), draft!, out var plan, out var errors))
        {
            return ApiProblem.Invalid("invalid_price_plan", "The price plan is invalid", errors);
        }

        await store.CreateAsync(plan, draft!, cancellationToken);
        return Results.Created($"/api/v1/admin/price-plans/{plan.Id}", PricePlanResponse.From(plan));
    }

    /// <summary>Plans in creation order; <c>limit</c> 1..500 (default 100), <c>after</c> a price plan id from <c>next_after</c>.</summary>
    private static async Task<IResult> ListAsync(string? limit, string? after, PricePlanStore store, CancellationToken cancellationToken)
    {
        var (pageSize, problem) = PageQuery.Parse(limit, after, PricePlanStore.MaxPageSize, CatalogIds.PricePlan, "price plan");
        if (problem is not null)
        {
            return problem;
        }

        var plans = await store.ListAsync(after, pageSize, cancellationToken);
        var nextAfter = plans.Count == pageSize ? plans[^1].Id : null;
        return Results.Ok(new PricePlanPage([.. plans.Select(p => PricePlanResponse.From(PricePlanStore.ToDomain(p)))], nextAfter));
    }

    private static async Task<IResult> GetAsync(string id, PricePlanStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } stored
            ? Results.Ok(PricePlanResponse.From(PricePlanStore.ToDomain(stored)))
            : ApiProblem.NotFound("price_plan_not_found", "price plan", id);
}

/// <summary>A price plan as the API shows it: its charges as a draft would give them, without the fields their type does not use.</summary>
public sealed record PricePlanResponse(string Id, string Name, string Currency, JsonElement Charges)
{
    private static readonly JsonSerializerOptions ChargesJson = new(PricePlanStore.DraftJson) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static PricePlanResponse From(PricePlan plan) =>
        new(plan.Id, plan.Name, plan.Currency.Code, JsonSerializer.SerializeToElement(plan.ToDraft().Charges, ChargesJson));
}

/// <summary>One page of price plans; pass <c>next_after</c> as <c>after</c> for the next page (null on the last).</summary>
public sealed record PricePlanPage(IReadOnlyList<PricePlanResponse> PricePlans, string? NextAfter);
