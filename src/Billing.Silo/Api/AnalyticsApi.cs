using Billing.Domain;
using Billing.Silo.Analytics;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;

namespace Billing.Silo.Api;

/// <summary>
/// Business analytics under <c>/api/v1/admin/analytics</c>, behind the admin key: MRR with its
/// movements, revenue and usage statistics, computed from stored facts on each request. Ranges are
/// bounded (<see cref="MonthRange.MaxMonths"/> months, <see cref="DayRange.MaxDays"/> days); a bad
/// one is 400 with a stable code (<c>invalid_month</c>, <c>invalid_date</c>, <c>range_reversed</c>,
/// <c>range_too_long</c>).
/// </summary>
public static class AnalyticsApi
{
    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin/analytics").RequireAdminKey();
        admin.MapGet("/mrr", MrrAsync).WithName("GetMrr")
            .Produces<MrrResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_month", "range_reversed", "range_too_long");
        admin.MapGet("/revenue", RevenueAsync).WithName("GetRevenue")
            .Produces<RevenueResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_month", "range_reversed", "range_too_long");
        admin.MapGet("/usage", UsageAsync).WithName("GetUsage")
            .Produces<UsageResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "customer_id_required", "invalid_date", "range_reversed", "range_too_long")
            .ProducesProblems(StatusCodes.Status404NotFound, "customer_not_found").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "usage_range_too_large");
        return routes;
    }

    /// <summary><c>from</c>, <c>to</c>: YYYY-MM, both included; <c>include_test_clocks=true</c> adds test-clock customers.</summary>
    private static async Task<IResult> MrrAsync(
        string? from, string? to, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "include_test_clocks")] bool? includeTestClocks, MrrQuery query, CancellationToken cancellationToken)
    {
        if (MonthRange.TryParse(from, to, out var problem) is not { } range)
        {
            return Refused(problem!);
        }

        return Results.Ok(MrrResponse.Of(await query.RunAsync(range, cancellationToken, includeTestClocks ?? false)));
    }

    /// <summary><c>from</c>, <c>to</c>: YYYY-MM, both included; months in UTC; <c>include_test_clocks=true</c> adds test-clock customers.</summary>
    private static async Task<IResult> RevenueAsync(
        string? from, string? to, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "include_test_clocks")] bool? includeTestClocks, RevenueQuery query, CancellationToken cancellationToken)
    {
        if (MonthRange.TryParse(from, to, out var problem) is not { } range)
        {
            return Refused(problem!);
        }

        return Results.Ok(RevenueResponse.Of(range, await query.RunAsync(range, cancellationToken, includeTestClocks ?? false)));
    }

    /// <summary><c>customer_id</c> (required), <c>from</c>, <c>to</c>: YYYY-MM-DD, both included, in the customer's zone.</summary>
    private static async Task<IResult> UsageAsync(
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "customer_id")] string? customerId, string? from, string? to, UsageQuery query, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(customerId))
        {
            return ApiProblem.Create(
                StatusCodes.Status400BadRequest, "customer_id_required", "A customer is required", "Usage statistics are per customer: give ?customer_id=cus_….");
        }

        if (DayRange.TryParse(from, to, out var problem) is not { } range)
        {
            return Refused(problem!);
        }

        try
        {
            return await query.RunAsync(customerId, range, cancellationToken) is { } usage
                ? Results.Ok(UsageResponse.Of(usage))
                : ApiProblem.NotFound("customer_not_found", "customer", customerId);
        }
        catch (UsageRangeTooLargeException exception)
        {
            return ApiProblem.Create(StatusCodes.Status422UnprocessableEntity, "usage_range_too_large", "Too much usage for one request", exception.Message);
        }
    }

    private static IResult Refused(RangeProblem problem) =>
        ApiProblem.Create(StatusCodes.Status400BadRequest, problem.Code, "Invalid analytics range", problem.Detail);
}
