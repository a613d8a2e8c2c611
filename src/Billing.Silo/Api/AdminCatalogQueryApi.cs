using Billing.Contracts.Catalog;
using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Silo.Api;

public sealed record CustomerPage(IReadOnlyList<CustomerResponse> Customers, string? NextAfter);

public sealed record ShopPage(IReadOnlyList<ShopResponse> Shops, string? NextAfter);

public sealed record ApiKeyPage(IReadOnlyList<ApiKeyResponse> ApiKeys, string? NextAfter);

/// <summary>
/// The operator's reads of the catalog under <c>/api/v1/admin</c>, behind the admin key: every
/// object a <c>Location</c> header names, lists paged like <c>GET /plans</c> (<c>limit</c>,
/// <c>after</c> = <c>next_after</c>) with filters, and changing a customer's profile.
/// </summary>
public static class AdminCatalogQueryApi
{
    public static IEndpointRouteBuilder MapAdminCatalogQueryApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAdminKey();
        admin.MapGet("/plans/{id}", GetPlanAsync).WithName("AdminGetPlan")
            .Produces<PlanResponse>().ProducesProblems(StatusCodes.Status404NotFound, "plan_not_found");
        admin.MapGet("/customers", ListCustomersAsync).WithName("AdminListCustomers")
            .Produces<CustomerPage>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        admin.MapPatch("/customers/{id}", UpdateCustomerAsync).WithName("UpdateCustomer")
            .AcceptsJson<CustomerPatchRequest>().Produces<CustomerResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_customer").ProducesProblems(StatusCodes.Status404NotFound, "customer_not_found")
            .ProducesProblems(StatusCodes.Status409Conflict, "customer_erased");
        admin.MapGet("/shops", ListShopsAsync).WithName("AdminListShops")
            .Produces<ShopPage>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        admin.MapGet("/shops/{id}", GetShopAsync).WithName("AdminGetShop")
            .Produces<ShopResponse>().ProducesProblems(StatusCodes.Status404NotFound, "shop_not_found");
        admin.MapGet("/api-keys", ListApiKeysAsync).WithName("AdminListApiKeys")
            .Produces<ApiKeyPage>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        admin.MapGet("/api-keys/{id}", GetApiKeyAsync).WithName("AdminGetApiKey")
            .Produces<ApiKeyResponse>().ProducesProblems(StatusCodes.Status404NotFound, "api_key_not_found");
        return routes;
    }

    private static async Task<IResult> GetPlanAsync(string id, CatalogStore store, CancellationToken cancellationToken) =>
        await store.GetPlanAsync(id, cancellationToken) is { } plan ? Results.Ok(plan.ToResponse()) : ApiProblem.NotFound("plan_not_found", "plan", id);

    private static async Task<IResult> GetShopAsync(string id, CatalogStore store, CancellationToken cancellationToken) =>
        await store.GetShopAsync(id, cancellationToken) is { } shop ? Results.Ok(shop.ToResponse()) : ApiProblem.NotFound("shop_not_found", "shop", id);

    private static async Task<IResult> GetApiKeyAsync(string id, CatalogStore store, CancellationToken cancellationToken) =>
        await store.GetApiKeyAsync(id, cancellationToken) is { } key ? Results.Ok(ToResponse(key)) : ApiProblem.NotFound("api_key_not_found", "API key", id);

    /// <summary><c>?q=</c>: customers whose name or e-mail starts with it, in any case.</summary>
    private static async Task<IResult> ListCustomersAsync(string? q, string? limit, string? after, CatalogStore store, CancellationToken cancellationToken)
    {
        var (query, problem) = ParseQuery(q, limit, after, CatalogIds.Customer, "customer");
        if (problem is not null)
        {
            return problem;
        }

        var customers = await store.ListCustomersAsync(query!, cancellationToken);
        return Results.Ok(new CustomerPage([.. customers.Select(c => c.ToResponse())], NextAfter(customers, query!, c => c.Id)));
    }

    /// <summary><c>?customer_id=</c> the customer's shops; <c>?q=</c> shops whose name starts with it, in any case.</summary>
    private static async Task<IResult> ListShopsAsync(
        string? q, string? limit, string? after, [FromQuery(Name = "customer_id")] string? customerId, CatalogStore store, CancellationToken cancellationToken)
    {
        var (query, problem) = ParseQuery(q, limit, after, CatalogIds.Shop, "shop");
        problem ??= PageQuery.CheckIdFilter(customerId, CatalogIds.Customer, "customer_id", "customer");
        if (problem is not null)
        {
            return problem;
        }

        var shops = await store.ListShopsAsync(customerId, query!, cancellationToken);
        return Results.Ok(new ShopPage([.. shops.Select(s => s.ToResponse())], NextAfter(shops, query!, s => s.Id)));
    }

    /// <summary><c>?shop_id=</c> the shop's keys; <c>?prefix=</c> the key with that prefix (the 8 characters after <c>bk_live_</c>).</summary>
    private static async Task<IResult> ListApiKeysAsync(
        string? limit, string? after, string? prefix, [FromQuery(Name = "shop_id")] string? shopId, CatalogStore store, CancellationToken cancellationToken)
    {
        var (query, problem) = ParseQuery(null, limit, after, CatalogIds.ApiKey, "API key");
        problem ??= PageQuery.CheckIdFilter(shopId, CatalogIds.Shop, "shop_id", "shop");
        if (problem is null && prefix is not null && !ApiKeyFormat.IsWellFormedPrefix(prefix))
        {
            problem = PageQuery.Invalid($"prefix must be the {ApiKeyFormat.PrefixLength} base62 characters after {ApiKeyFormat.LiveScheme}.");
        }

        if (problem is not null)
        {
            return problem;
        }

        var keys = await store.ListApiKeysAsync(shopId, prefix, query!, cancellationToken);
        return Results.Ok(new ApiKeyPage([.. keys.Select(ToResponse)], NextAfter(keys, query!, k => k.Id)));
    }

    /// <summary>
    /// Changes what is given of name, e-mail, time zone and VAT rate. Invoices issued from now on
    /// carry them; a shop's open period keeps the zone it opened in (periods store theirs), and its
    /// close opens the next one in the new zone, from the instant it ends (see BillingPeriod.After).
    /// </summary>
    private static async Task<IResult> UpdateCustomerAsync(string id, HttpRequest request, CatalogStore store, CancellationToken cancellationToken)
    {
        var (patch, problem) = await JsonBody.ReadAsync<CustomerPatchRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (await store.GetCustomerAsync(id, cancellationToken) is not { } current)
        {
            return ApiProblem.NotFound("customer_not_found", "customer", id);
        }

        var draft = new CustomerDraft(
            patch!.Name ?? current.Name, patch.Email ?? current.Email, current.Currency.Code, patch.TimeZone ?? current.TimeZoneId, patch.VatRate ?? current.VatRate);
        if (!CustomerProfile.TryCreate(current.Id, draft, out var updated, out var errors))
        {
            return ApiProblem.Invalid("invalid_customer", "The customer is invalid", errors);
        }

        // The customer was read above: an update that changed nothing found it erased, and erased stays erased.
        return await store.UpdateCustomerAsync(updated, cancellationToken)
            ? Results.Ok(updated.ToResponse())
            : ApiProblem.Create(StatusCodes.Status409Conflict, "customer_erased", "Customer erased", $"Customer '{id}' was erased; its personal data cannot be set again.");
    }

    private static (CatalogListQuery? Query, IResult? Problem) ParseQuery(string? q, string? limit, string? after, string idKind, string noun)
    {
        var (pageSize, problem) = PageQuery.Parse(limit, after, CatalogStore.MaxPageSize, idKind, noun);
        if (problem is not null)
        {
            return (null, problem);
        }

        var search = q?.Trim();
        return search is { Length: 0 or > CatalogSearch.MaxLength }
            ? (null, PageQuery.Invalid($"q must be 1 to {CatalogSearch.MaxLength} characters."))
            : (new CatalogListQuery(search, after, pageSize), null);
    }

    private static string? NextAfter<T>(IReadOnlyList<T> page, CatalogListQuery query, Func<T, string> id) => page.Count == query.Limit ? id(page[^1]) : null;

    private static ApiKeyResponse ToResponse(ApiKeyListing key) => new(key.Id, key.ShopId, key.Name, key.Prefix, key.CreatedAt, key.RevokedAt);
}
