using Billing.Domain;
using Billing.Silo.Alerts;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;

namespace Billing.Silo.Api.Invoicing;

/// <summary><c>GET /api/v1/admin/alerts</c>: the cost and token alerts raised, newest first, behind the admin key.</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAdminKey();
        admin.MapGet("/alerts", ListAsync).WithName("ListAlerts")
            .Produces<AlertListResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        return routes;
    }

    /// <summary><c>kind</c> (cost_daily, cost_weekly, cost_customer_daily, token_80, …), <c>since</c> (ISO 8601 instant), <c>limit</c> 1..500 (100).</summary>
    private static async Task<IResult> ListAsync(string? kind, string? since, string? limit, AlertStore store, CancellationToken cancellationToken)
    {
        if (!AlertQuery.TryCreate(kind, since, limit, out var query, out var errors))
        {
            return ApiProblem.Invalid("invalid_query", "Invalid query", errors);
        }

        var alerts = await store.ListAsync(query, cancellationToken);
        return Results.Ok(new AlertListResponse([.. alerts.Select(AlertResponse.From)]));
    }
}

public sealed record AlertListResponse(IReadOnlyList<AlertResponse> Alerts);

public sealed record AlertResponse(string Id, string Kind, string Subject, string PeriodKey, string Threshold, string Observed, string Message, DateTimeOffset RaisedAt)
{
    public static AlertResponse From(StoredAlert stored) => new(
        stored.Id, stored.Alert.Kind, stored.Alert.Subject, stored.Alert.PeriodKey, stored.Alert.Threshold, stored.Alert.Observed, stored.Alert.Message,
        stored.Alert.RaisedAt.ToDateTimeOffset());
}
