using Billing.Silo.Storage.Sql;
using Orleans.Runtime;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.Silo.Api;

/// <summary>
/// Probes in ASP.NET health-check style, GET and HEAD: <c>/health/live</c> is 200 while the process serves HTTP
/// (no check runs: a database outage must not get the pod restarted); <c>/health/ready</c> runs the checks tagged
/// <see cref="ReadyTag"/> (the database answers, the Orleans cluster has an active silo) and is 503 when one fails.
/// </summary>
public static class HealthProbes
{
    public const string ReadyTag = "ready";

    private static readonly string[] ProbeMethods = [HttpMethods.Get, HttpMethods.Head];

    // For the API description, which cannot infer a health check's answers: "Healthy" or "Unhealthy" as text.
    private static readonly ProducesResponseTypeMetadata[] ProbeAnswers =
    [
        new(StatusCodes.Status200OK, typeof(string), ["text/plain"]),
        new(StatusCodes.Status503ServiceUnavailable, typeof(string), ["text/plain"]),
    ];

    public static IServiceCollection AddHealthProbes(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<OrleansHealthCheck>("orleans", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthProbes(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithMetadata(new HttpMethodMetadata(ProbeMethods), ProbeAnswers[0], ProbeAnswers[1]).WithName("HealthLive");
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .WithMetadata(new HttpMethodMetadata(ProbeMethods), ProbeAnswers[0], ProbeAnswers[1]).WithName("HealthReady");
        return routes;
    }

    private sealed class DatabaseHealthCheck(SqlDatabase database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var (answers, error) = await HealthApi.PingAsync(database, cancellationToken);
            return answers ? HealthCheckResult.Healthy(database.DialectName) : HealthCheckResult.Unhealthy($"{database.DialectName}: {error ?? "no answer"}");
        }
    }

    private sealed class OrleansHealthCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var silos = await HealthApi.ActiveSilosAsync(grains.GetGrain<IManagementGrain>(0), cancellationToken);
            return silos > 0 ? HealthCheckResult.Healthy($"{silos} active silo(s)") : HealthCheckResult.Unhealthy("no active silo reachable");
        }
    }
}
