using Billing.Contracts.Health;
using Billing.Silo.Api.Docs;
using Billing.Silo.Storage.Sql;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Billing.Silo.Api;

/// <summary>
/// <c>GET /health</c>: the process is up, its database answers, and it reaches the cluster. A silo
/// also says how many billing grains it holds; a front door holds none and reports only whether its
/// Orleans client reaches a gateway.
/// </summary>
public static class HealthApi
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], CheckAsync).WithName("Health")
            .Produces<HealthResponse>().Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable).ProducesProblems(StatusCodes.Status503ServiceUnavailable, "database_unavailable");
        routes.MapHealthProbes();
        return routes;
    }

    private static async Task<IResult> CheckAsync(
        SqlDatabase database, IGrainFactory grains, [FromServices] ILocalSiloDetails? silo, IOptions<SiloClusterOptions> cluster, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (databaseAnswers, error) = await PingAsync(database, cancellationToken);
        if (error is not null)
        {
            return Results.Problem(
                title: "Database unavailable", detail: $"{database.Description}: {error}", statusCode: StatusCodes.Status503ServiceUnavailable,
                type: "https://billing.example/problems/database-unavailable", extensions: new Dictionary<string, object?> { ["code"] = "database_unavailable" });
        }

        var management = grains.GetGrain<IManagementGrain>(0);
        var activeSilos = await ActiveSilosAsync(management, cancellationToken);
        var activations = silo is null ? (int?)null : await ActivationsAsync(management, silo.SiloAddress);
        var healthy = databaseAnswers && activeSilos > 0;
        var response = new HealthResponse(
            healthy ? HealthResponse.Healthy : HealthResponse.Degraded, cluster.Value.Role, cluster.Value.SiloName, database.DialectName,
            activeSilos > 0 ? "connected" : "unreachable", activeSilos, activations, time.GetUtcNow());
        return healthy ? Results.Ok(response) : Results.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Whether the database answers <c>SELECT 1</c> within the check timeout; the error's message when it failed.</summary>
    internal static async Task<(bool Answers, string? Error)> PingAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CheckTimeout);
            return (await database.PingAsync(timeout.Token), null);
        }
        catch (Exception error) when (error is System.Data.Common.DbException or OperationCanceledException or TimeoutException)
        {
            return (false, error.Message);
        }
    }

    /// <summary>
    /// The silos the membership table lists as active, asked through the cluster: on a front door
    /// this is the cheap proof that its client reaches a gateway; 0 when it does not.
    /// </summary>
    internal static async Task<int> ActiveSilosAsync(IManagementGrain management, CancellationToken cancellationToken)
    {
        try
        {
            var hosts = await management.GetHosts(onlyActive: true).WaitAsync(CheckTimeout, cancellationToken);
            return hosts.Count;
        }
        catch (Exception error) when (error is OrleansException or TimeoutException)
        {
            return 0;
        }
    }

    /// <summary>This silo's own billing grains (Orleans' system grains, such as the management grain itself, are not counted).</summary>
    private static async Task<int> ActivationsAsync(IManagementGrain management, SiloAddress silo)
    {
        var statistics = await management.GetSimpleGrainStatistics([silo]);
        return statistics.Where(s => s.GrainType.StartsWith(RuntimeMetricsApi.BillingGrainTypePrefix, StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }
}
