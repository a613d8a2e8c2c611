using Billing.Contracts.Catalog;
using Billing.Silo.Api.Docs;
using Billing.Silo.Grains;
using Billing.Domain;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;
using Billing.Silo.Invoicing;
using Billing.Silo.Metering;
using Billing.Silo.TestClocks;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Api;

/// <summary>
/// The operator's catalog API under <c>/api/v1/admin</c>, behind the admin key: plans, customers,
/// their shops, and the shops' API keys.
/// </summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAdminKey();
        admin.MapPost("/plans", CreatePlanAsync).WithName("CreatePlan")
            .AcceptsJson<PlanRequest>().Produces<PlanResponse>(StatusCodes.Status201Created).ProducesProblems(StatusCodes.Status400BadRequest, "invalid_plan");
        admin.MapGet("/plans", CustomerCatalogApi.ListPlansAsync).WithName("AdminListPlans")
            .Produces<PlanPage>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        admin.MapPost("/customers", CreateCustomerAsync).WithName("CreateCustomer")
            .AcceptsJson<CustomerRequest>().Produces<CustomerResponse>(StatusCodes.Status201Created).ProducesProblems(StatusCodes.Status400BadRequest, "invalid_customer")
            .ProducesProblems(StatusCodes.Status404NotFound, "test_clock_not_found").ProducesProblems(StatusCodes.Status409Conflict, "test_clock_full");
        admin.MapGet("/customers/{id}", GetCustomerAsync).WithName("GetCustomer")
            .Produces<CustomerResponse>().ProducesProblems(StatusCodes.Status404NotFound, "customer_not_found");
        admin.MapPost("/customers/{id}/shops", CreateShopAsync).WithName("CreateShop")
            .AcceptsJson<NameRequest>().Produces<ShopResponse>(StatusCodes.Status201Created).ProducesProblems(StatusCodes.Status400BadRequest, "invalid_shop").ProducesProblems(StatusCodes.Status404NotFound, "customer_not_found");
        admin.MapPost("/shops/{id}/api-keys", IssueApiKeyAsync).WithName("IssueApiKey")
            .AcceptsJson<NameRequest>().Produces<ApiKeyCreatedResponse>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest, "invalid_api_key_request").ProducesProblems(StatusCodes.Status404NotFound, "shop_not_found");
        admin.MapDelete("/api-keys/{id}", RevokeApiKeyAsync).WithName("RevokeApiKey")
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(StatusCodes.Status404NotFound, "api_key_not_found");
        return routes;
    }

    private static async Task<IResult> CreatePlanAsync(HttpRequest request, CatalogStore store, CancellationToken cancellationToken)
    {
        var (draft, problem) = await JsonBody.ReadAsync<PlanRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!Plan.TryCreate(CatalogIds.New(CatalogIds.Plan), draft!.ToDraft(), out var plan, out var errors))
        {
            return ApiProblem.Invalid("invalid_plan", "The plan is invalid", errors);
        }

        await store.CreatePlanAsync(plan, cancellationToken);
        return Results.Created($"/api/v1/admin/plans/{plan.Id}", plan.ToResponse());
    }

    /// <summary>With <c>test_clock</c>, the customer lives on that clock and is created at its instant.</summary>
    private static async Task<IResult> CreateCustomerAsync(
        HttpRequest request, CatalogStore store, TestClockStore clocks, IOptions<TestClockOptions> clockOptions, CancellationToken cancellationToken)
    {
        var (draft, problem) = await JsonBody.ReadAsync<CustomerRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!CustomerProfile.TryCreate(CatalogIds.New(CatalogIds.Customer), draft!.ToDraft(), out var customer, out var errors))
        {
            return ApiProblem.Invalid("invalid_customer", "The customer is invalid", errors);
        }

        StoredTestClock? clock = null;
        if (draft!.TestClock is { } clockId)
        {
            clock = CatalogIds.IsWellFormed(clockId, CatalogIds.TestClock) ? await clocks.GetAsync(clockId, cancellationToken) : null;
            if (clock is null)
            {
                return ApiProblem.NotFound("test_clock_not_found", "test clock", clockId);
            }

            if (clock.Customers >= clockOptions.Value.MaxCustomersPerClock)
            {
                return ApiProblem.Create(
                    StatusCodes.Status409Conflict, "test_clock_full", "The test clock is full", $"A test clock holds at most {clockOptions.Value.MaxCustomersPerClock} customers.");
            }
        }

        await store.CreateCustomerAsync(customer, cancellationToken, clock?.Id, clock?.FrozenAtMs);
        return Results.Created($"/api/v1/admin/customers/{customer.Id}", customer.ToResponse() with { TestClock = clock?.Id });
    }

    private static async Task<IResult> GetCustomerAsync(string id, CatalogStore store, CustomerClocks clocks, CancellationToken cancellationToken) =>
        await store.GetCustomerAsync(id, cancellationToken) is { } customer
            ? Results.Ok(customer.ToResponse() with { TestClock = (await clocks.ClockOfAsync(id, cancellationToken))?.Id })
            : ApiProblem.NotFound("customer_not_found", "customer", id);

    /// <summary>
    /// The shop's first billing period opens and its closing reminder is registered before the answer, unless the
    /// shop opened (<c>opened_on</c>) in a period already due: then billing starts at its first close (a run, or
    /// closing the shop), so its history can be loaded before anything is invoiced.
    /// </summary>
    private static async Task<IResult> CreateShopAsync(
        string id, HttpRequest request, CatalogStore store, IGrainFactory grains, ShopPeriods periods, CustomerClocks clocks, TimeProvider time,
        IOptions<BillingOptions> options,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ShopRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var name = body!.Name?.Trim();
        var errors = CatalogNames.Validate("name", name);
        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_shop", "The shop is invalid", errors);
        }

        if (!CatalogIds.IsWellFormed(id, CatalogIds.Customer))
        {
            return ApiProblem.NotFound("customer_not_found", "customer", id);
        }

        // The customer's now: a test clock's customer opens its shops at the clock's instant.
        var clock = await clocks.ClockOfAsync(id, cancellationToken);
        var now = clock is null ? Instant.FromDateTimeOffset(time.GetUtcNow()) : Instant.FromUnixTimeMilliseconds(clock.FrozenAtMs);
        var (openedAt, refusal) = body.OpenedOn is { } openedOn ? await OpenedAtAsync(id, openedOn, store, now, options.Value.MaxBackdateDays, cancellationToken) : (null, null);
        if (refusal is not null)
        {
            return refusal;
        }

        openedAt ??= clock is null ? null : now;

        var shop = new Shop(CatalogIds.New(CatalogIds.Shop), id, name!);
        if (!await store.CreateShopAsync(shop, cancellationToken, openedAt?.ToUnixTimeMilliseconds()))
        {
            return ApiProblem.NotFound("customer_not_found", "customer", id);
        }

        if (openedAt is null || !await periods.FirstPeriodDueAsync(shop.Id, now, cancellationToken))
        {
            await grains.Shop(shop.Id).EnsureBillingAsync();
        }

        return Results.Created($"/api/v1/admin/shops/{shop.Id}", shop.ToResponse());
    }

    /// <summary>Where a shop opened on <paramref name="openedOn"/> starts (the day's start in its customer's zone), or why it may not open then.</summary>
    private static async Task<(Instant? OpenedAt, IResult? Problem)> OpenedAtAsync(
        string customerId, DateOnly openedOn, CatalogStore store, Instant now, int maxBackdateDays, CancellationToken cancellationToken)
    {
        if (await store.GetCustomerAsync(customerId, cancellationToken) is not { } customer)
        {
            return (null, ApiProblem.NotFound("customer_not_found", "customer", customerId));
        }

        return ShopHistory.CheckOpenedOn(openedOn, customer.TimeZoneId, now, maxBackdateDays) is { } error
            ? (null, ApiProblem.Invalid("invalid_shop", "The shop is invalid", [error]))
            : (ShopHistory.StartOf(openedOn, customer.TimeZoneId), null);
    }

    private static async Task<IResult> IssueApiKeyAsync(string id, HttpRequest request, CatalogStore store, CancellationToken cancellationToken)
    {
        var (name, problem) = await ReadNameAsync(request, "invalid_api_key_request", "The API key request is invalid", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await store.IssueApiKeyAsync(id, name!, cancellationToken) is { } issued
            ? Results.Created($"/api/v1/admin/api-keys/{issued.Id}", issued.ToResponse())
            : ApiProblem.NotFound("shop_not_found", "shop", id);
    }

    /// <summary>Idempotent: revoking a revoked key is 204 again. This silo forgets the key at once; others within the cache time.</summary>
    private static async Task<IResult> RevokeApiKeyAsync(string id, CatalogStore store, ApiKeyAuthenticator authenticator, CancellationToken cancellationToken)
    {
        var prefix = await store.RevokeApiKeyAsync(id, cancellationToken);
        if (prefix is null)
        {
            return ApiProblem.NotFound("api_key_not_found", "API key", id);
        }

        authenticator.Forget(prefix);
        return Results.NoContent();
    }

    /// <summary>A <c>{"name": …}</c> body, trimmed and checked with the catalog's name rule.</summary>
    private static async Task<(string? Name, IResult? Problem)> ReadNameAsync(HttpRequest request, string code, string title, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<NameRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        var name = body!.Name?.Trim();
        var errors = CatalogNames.Validate("name", name);
        return errors.Count == 0 ? (name, null) : (null, ApiProblem.Invalid(code, title, errors));
    }
}
