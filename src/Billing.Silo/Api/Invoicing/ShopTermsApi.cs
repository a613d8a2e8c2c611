using Billing.Silo.Api.Docs;
using Billing.Silo.Grains;
using Billing.Silo.Auth;
using Billing.Silo.Invoicing;
using Billing.Silo.Metering;

namespace Billing.Silo.Api.Invoicing;

/// <summary>
/// A shop's billing terms under <c>/api/v1/admin/shops/{id}/billing</c>, behind the admin key. A
/// change goes through the shop's grain, so it never interleaves with the close of its period: an
/// upgrade takes effect at once and is prorated by the day onto the open period's invoice; a
/// downgrade and a cycle change take effect when the open period ends.
/// </summary>
public static class ShopTermsApi
{
    public static IEndpointRouteBuilder MapShopTermsApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAdminKey();
        admin.MapGet("/shops/{id}/billing", GetAsync).WithName("GetShopBilling")
            .Produces<ShopBillingResponse>().ProducesProblems(StatusCodes.Status404NotFound, "shop_not_found");
        admin.MapPut("/shops/{id}/billing", ChangeAsync).WithName("ChangeShopBilling")
            .AcceptsJson<ShopTermsRequest>().Produces<ShopTermsChangeResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_shop_terms")
            .ProducesProblems(StatusCodes.Status404NotFound, "shop_not_found", "price_plan_not_found").ProducesProblems(StatusCodes.Status409Conflict, "period_closing", "shop_closed").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "currency_mismatch");
        return routes;
    }

    private static async Task<IResult> GetAsync(string id, ShopTermsReader terms, IGrainFactory grains, CancellationToken cancellationToken) =>
        await terms.GetAsync(id, cancellationToken) is { } shop
            ? Results.Ok(await ResponseAsync(shop, grains))
            : ApiProblem.NotFound("shop_not_found", "shop", id);

    /// <summary>The terms as stored, and the close bookkeeping as the shop's grain holds it.</summary>
    private static async Task<ShopBillingResponse> ResponseAsync(ShopTermsRow shop, IGrainFactory grains) =>
        ShopBillingResponse.From(shop, await grains.Shop(shop.Shop.Id).GetCloseStateAsync());

    /// <summary>
    /// <c>{price_plan_id?, seats?, cycle?}</c> → 200 <c>{kind, effective_date, lines, billing}</c>;
    /// 400 <c>invalid_shop_terms</c>; 404 <c>shop_not_found</c> or <c>price_plan_not_found</c>;
    /// 422 <c>currency_mismatch</c> (as a subscription answers it); 409 <c>period_closing</c> between a period's end and its close.
    /// </summary>
    private static async Task<IResult> ChangeAsync(string id, HttpRequest request, ShopTermsReader terms, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ShopTermsRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!TermsChangeRequest.TryCreate(body!.PricePlanId, body.Seats, body.Cycle, out var change, out var errors))
        {
            return ApiProblem.Invalid("invalid_shop_terms", "The shop's billing terms are invalid", errors);
        }

        if (await terms.GetAsync(id, cancellationToken) is null)
        {
            return ApiProblem.NotFound("shop_not_found", "shop", id);
        }

        var result = await grains.Shop(id).ChangeTermsAsync(change);
        if (result.Change is { } changed)
        {
            var shop = await terms.GetAsync(id, cancellationToken) ?? throw new UnknownShopException(id);
            return Results.Ok(ShopTermsChangeResponse.From(changed, await ResponseAsync(shop, grains)));
        }

        return result.Outcome switch
        {
            TermsChangeOutcome.PricePlanNotFound => ApiProblem.NotFound("price_plan_not_found", "price plan", change.PricePlanId ?? string.Empty),
            TermsChangeOutcome.CurrencyMismatch => ApiProblem.Create(StatusCodes.Status422UnprocessableEntity, "currency_mismatch", "Currency mismatch", result.Problem),
            _ => ApiProblem.Create(StatusCodes.Status409Conflict, "period_closing", "The billing period is closing", result.Problem),
        };
    }
}
