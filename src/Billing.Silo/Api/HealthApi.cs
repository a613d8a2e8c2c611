using Billing.Runtime;
using Billing.Runtime.Core;
using Billing.Runtime.Storage.Sql;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Api;

/// <summary><c>GET /health</c>: the silo is up and its database answers.</summary>
public static class HealthApi
{
    public sealed record HealthResponse(string Status, string Silo, string Storage, int Activations, DateTimeOffset CheckedAt);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", CheckAsync).WithName("Health");
        return routes;
    }

    private static async Task<IResult> CheckAsync(
        SqlDatabase database, GrainRuntime runtime, IOptions<GrainRuntimeOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        bool databaseAnswers;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            databaseAnswers = await database.PingAsync(timeout.Token);
        }
        catch (Exception error) when (error is System.Data.Common.DbException or OperationCanceledException or TimeoutException)
        {
            return Results.Problem(
                title: "Database unavailable", detail: $"{database.Description}: {error.Message}", statusCode: StatusCodes.Status503ServiceUnavailable,
                type: "https://billing.example/problems/database-unavailable", extensions: new Dictionary<string, object?> { ["code"] = "database_unavailable" });
        }

        var response = new HealthResponse(databaseAnswers ? "healthy" : "degraded", options.Value.SiloName, database.DialectName, runtime.ActivationCount, time.GetUtcNow());
        return databaseAnswers ? Results.Ok(response) : Results.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
