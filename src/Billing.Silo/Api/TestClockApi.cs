using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Metering;
using Billing.Silo.TestClocks;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Api;

/// <summary>
/// Test clocks under <c>/api/v1/admin/test-clocks</c>, behind the admin key: create one frozen at
/// an instant, create customers on it (<c>test_clock</c> on <c>POST /api/v1/admin/customers</c>),
/// advance it (any number of periods in one call, at most <see cref="TestClockOptions.MaxAdvanceDays"/>),
/// read its status while it advances, delete it with its customers and all their data.
/// </summary>
public static class TestClockApi
{
    // Clocks live in this century: far enough for any simulation, and no instant overflows a period.
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEndpointRouteBuilder MapTestClockApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin/test-clocks").RequireAdminKey();
        admin.MapPost("/", CreateAsync).WithName("CreateTestClock")
            .AcceptsJson<TestClockRequest>().Produces<TestClockResponse>(StatusCodes.Status201Created).ProducesProblems(StatusCodes.Status400BadRequest, "invalid_test_clock");
        admin.MapGet("/", ListAsync).WithName("ListTestClocks")
            .Produces<TestClockPage>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        admin.MapGet("/{id}", GetAsync).WithName("GetTestClock")
            .Produces<TestClockResponse>().ProducesProblems(StatusCodes.Status404NotFound, "test_clock_not_found");
        admin.MapPost("/{id}/advance", AdvanceAsync).WithName("AdvanceTestClock")
            .AcceptsJson<TestClockAdvanceRequest>().Produces<TestClockResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status400BadRequest, "invalid_advance").ProducesProblems(StatusCodes.Status404NotFound, "test_clock_not_found")
            .ProducesProblems(StatusCodes.Status409Conflict, "test_clock_advancing").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "advance_too_many_events");
        admin.MapDelete("/{id}", DeleteAsync).WithName("DeleteTestClock")
            .Produces<TestClockDeletedResponse>().ProducesProblems(StatusCodes.Status404NotFound, "test_clock_not_found")
            .ProducesProblems(StatusCodes.Status409Conflict, "test_clock_advancing");
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, TestClockStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TestClockRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var name = body!.Name?.Trim();
        var errors = CatalogNames.Validate("name", name).ToList();
        if (CheckInstant("frozen_time", body.FrozenTime) is { } error)
        {
            errors.Add(error);
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_test_clock", "The test clock is invalid", errors);
        }

        var id = CatalogIds.New(CatalogIds.TestClock);
        await store.CreateAsync(id, name!, body.FrozenTime!.Value.ToUnixTimeMilliseconds(), cancellationToken);
        var clock = await store.GetAsync(id, cancellationToken) ?? throw new InvariantViolationException($"Test clock {id} was not stored.");
        return Results.Created($"/api/v1/admin/test-clocks/{id}", TestClockResponse.From(clock));
    }

    /// <summary>Clocks in creation order; <c>limit</c> 1..100 (default 100), <c>after</c> a clock id from <c>next_after</c>.</summary>
    private static async Task<IResult> ListAsync(string? limit, string? after, TestClockStore store, CancellationToken cancellationToken)
    {
        var (pageSize, problem) = PageQuery.Parse(limit, after, TestClockStore.MaxPageSize, CatalogIds.TestClock, "test clock");
        if (problem is not null)
        {
            return problem;
        }

        var clocks = await store.ListAsync(after, pageSize, cancellationToken);
        return Results.Ok(new TestClockPage([.. clocks.Select(TestClockResponse.From)], clocks.Count == pageSize ? clocks[^1].Id : null));
    }

    private static async Task<IResult> GetAsync(string id, TestClockStore store, CancellationToken cancellationToken) =>
        await FindAsync(id, store, cancellationToken) is { } clock ? Results.Ok(TestClockResponse.From(clock)) : NotFound(id);

    /// <summary>
    /// <c>{to}</c> → 202 with the clock <c>advancing</c>; the advance goes on after the answer (poll
    /// <c>GET …/{id}</c> until <c>ready</c>). 400 <c>invalid_advance</c> when <c>to</c> is not after the
    /// clock's instant or too far; 422 <c>advance_too_many_events</c>; 409 <c>test_clock_advancing</c>.
    /// </summary>
    private static async Task<IResult> AdvanceAsync(
        string id, HttpRequest request, TestClockStore store, IGrainFactory grains, IOptions<TestClockOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TestClockAdvanceRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (await FindAsync(id, store, cancellationToken) is not { } clock)
        {
            return NotFound(id);
        }

        if (CheckAdvance(body!.To, clock, options.Value.MaxAdvanceDays) is { } error)
        {
            return ApiProblem.Invalid("invalid_advance", "The advance is invalid", [error]);
        }

        return await grains.GetGrain<ITestClockGrain>(id).AdvanceAsync(body.To!.Value.ToUnixTimeMilliseconds()) switch
        {
            TestClockAdvanceOutcome.Started => Results.Accepted($"/api/v1/admin/test-clocks/{id}", TestClockResponse.From(await store.GetAsync(id, cancellationToken) ?? clock)),
            TestClockAdvanceOutcome.TooManyEvents => ApiProblem.Create(
                StatusCodes.Status422UnprocessableEntity, "advance_too_many_events", "The advance would run too many events",
                $"One advance runs at most {options.Value.MaxEventsPerAdvance} period closes; advance in smaller steps."),
            _ => Advancing(id),
        };
    }

    private static async Task<IResult> DeleteAsync(string id, TestClockStore store, IGrainFactory grains, ApiKeyAuthenticator authenticator, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, store, cancellationToken) is null)
        {
            return NotFound(id);
        }

        if (await grains.GetGrain<ITestClockGrain>(id).DeleteAsync() is not { } deleted)
        {
            return Advancing(id);
        }

        foreach (var prefix in deleted.KeyPrefixes)
        {
            authenticator.Forget(prefix);
        }

        return Results.Ok(new TestClockDeletedResponse(id, Deleted: true, deleted.Customers));
    }

    private static FieldError? CheckAdvance(DateTimeOffset? to, StoredTestClock clock, int maxAdvanceDays)
    {
        if (CheckInstant("to", to) is { } error)
        {
            return error;
        }

        var toMs = to!.Value.ToUnixTimeMilliseconds();
        return toMs <= clock.FrozenAtMs ? new FieldError("to", "to must be after the clock's frozen_time")
            : toMs - clock.FrozenAtMs > (long)TimeSpan.FromDays(maxAdvanceDays).TotalMilliseconds
                ? new FieldError("to", $"to may be at most {maxAdvanceDays} days after the clock's frozen_time; advance in steps")
            : null;
    }

    private static FieldError? CheckInstant(string field, DateTimeOffset? instant) =>
        instant is null ? new FieldError(field, $"{field} is required")
        : instant < Earliest || instant >= Latest ? new FieldError(field, $"{field} must be in 2000..2099")
        : null;

    private static Task<StoredTestClock?> FindAsync(string id, TestClockStore store, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(id, CatalogIds.TestClock) ? store.GetAsync(id, cancellationToken) : Task.FromResult<StoredTestClock?>(null);

    private static IResult NotFound(string id) => ApiProblem.NotFound("test_clock_not_found", "test clock", id);

    private static IResult Advancing(string id) =>
        ApiProblem.Create(StatusCodes.Status409Conflict, "test_clock_advancing", "The test clock is advancing", $"Test clock {id} is advancing; wait until its status is ready.");
}
