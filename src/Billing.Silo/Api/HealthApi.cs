using Billing.Silo.Storage.Sql;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Billing.Silo.Api;

/// <summary><c>GET /health</c>: the silo is up, its database answers, and how many grains it holds.</summary>
public static class HealthApi
{
    public sealed record HealthResponse(string Status, string Silo, string Storage, int Activations, DateTimeOffset CheckedAt);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", CheckAsync).WithName("Health");
        return routes;
    }

    private static async Task<IResult> CheckAsync(
        SqlDatabase database, IGrainFactory grains, ILocalSiloDetails silo, IOptions<SiloClusterOptions> cluster, TimeProvider time,
        CancellationToken cancellationToken)
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

        // This silo's own billing grains (Orleans' system grains, such as the management grain itself, are not counted).
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics([silo.SiloAddress]);
        var activations = statistics.Where(s => s.GrainType.StartsWith(RuntimeMetricsApi.BillingGrainTypePrefix, StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        var response = new HealthResponse(databaseAnswers ? "healthy" : "degraded", cluster.Value.SiloName, database.DialectName, activations, time.GetUtcNow());
        return databaseAnswers ? Results.Ok(response) : Results.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
