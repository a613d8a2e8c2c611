using Billing.Contracts.Catalog;
using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;
using Billing.Silo.Grains;
using Billing.Silo.Invoicing;
using NodaTime;

namespace Billing.Silo.Api;

/// <summary>What closing a shop did: when, how many keys it revoked now, and the invoices of the periods it closed now.</summary>
public sealed record ShopClosedResponse(string ShopId, DateTimeOffset ClosedAt, int RevokedApiKeys, IReadOnlyList<InvoiceSummary> Invoices);

/// <summary>
/// <c>POST /api/v1/admin/shops/{id}/close</c>, behind the admin key: the shop's keys are revoked, its
/// open period ends the day it closes and is invoiced at once (with any earlier period still due),
/// and no period opens after it. An optional <c>{"closed_on": "YYYY-MM-DD"}</c> ends it on that past day instead (its
/// last period ends there). Idempotent: closing a closed shop is 200 with
/// <c>Idempotent-Replayed: true</c>, nothing revoked or invoiced again.
/// </summary>
public static class AdminShopApi
{
    public static IEndpointRouteBuilder MapAdminShopApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/admin").RequireAdminKey().MapPost("/shops/{id}/close", CloseAsync).WithName("CloseShop")
            .Produces<ShopClosedResponse>().ProducesProblems(StatusCodes.Status404NotFound, "shop_not_found");
        return routes;
    }

    private static async Task<IResult> CloseAsync(
        string id, HttpContext http, CatalogStore store, ApiKeyAuthenticator authenticator, IGrainFactory grains, ShopTermsReader terms, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadOptionalAsync(http.Request, new ShopCloseRequest(null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        long? closedAtMs = null;
        if (body!.ClosedOn is { } closedOn && CatalogIds.IsWellFormed(id, CatalogIds.Shop) && await terms.GetAsync(id, cancellationToken) is { ClosedAt: null } shop)
        {
            // The first day a close may end the shop on: its open period's, or (billing not started yet) its first period's.
            var open = shop.Open?.Period ?? ShopPeriods.FirstPeriod(shop);
            if (ShopHistory.CheckClosedOn(closedOn, open.ZoneId, Instant.FromDateTimeOffset(time.GetUtcNow()), open.Start) is { } error)
            {
                return ApiProblem.Invalid("invalid_shop_close", "The shop close is invalid", [error]);
            }

            closedAtMs = ShopHistory.StartOf(closedOn, open.ZoneId).ToUnixTimeMilliseconds();
        }

        if (await store.CloseShopAsync(id, cancellationToken, closedAtMs) is not { } closure)
        {
            return ApiProblem.NotFound("shop_not_found", "shop", id);
        }

        foreach (var prefix in closure.RevokedPrefixes)
        {
            authenticator.Forget(prefix);
        }

        // Also after a repeat: a close that failed after the shop was marked closed is finished here.
        var billed = await grains.Shop(id).BillAsync(new CloseRequest(null, DryRun: false));
        if (closure.WasClosedBefore)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Ok(new ShopClosedResponse(id, closure.ClosedAt, closure.RevokedPrefixes.Count, billed.Invoices));
    }
}
