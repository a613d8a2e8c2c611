using Billing.Silo.Telemetry;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Billing.Silo.Hosting;

/// <summary>
/// The front door's Orleans client: no silo in this process; the grains are called through the
/// gateways the silos list in the AdoNet membership table. When a gateway silo dies, the client
/// marks it dead and sends the next calls through another; the calls that were in flight fail
/// with the exceptions <see cref="RuntimeExceptionHandler"/> turns into a retryable 503.
/// </summary>
public static class FrontDoorHosting
{
    // Orleans' default is a minute: a silo that joins (a scale-out) would take that long to get traffic.
    private static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(10);

    public static IHostApplicationBuilder AddBillingFrontDoorClient(this IHostApplicationBuilder builder, SiloClusterOptions cluster)
    {
        var storage = StorageSettings.Read(builder.Configuration);
        if (!storage.IsPostgres)
        {
            // Billing:Cluster's validation refuses this at start with one clear line; no client to wire.
            return builder;
        }

        builder.Services.AddSingleton<FrontDoorConnectionRetry>();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = ClusterHosting.PostgresInvariant;
                o.ConnectionString = storage.ConnectionString!;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(cluster.CallTimeoutMs));
            if (builder.Configuration.IsTelemetryEnabled())
            {
                client.AddActivityPropagation();
            }

            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
            client.UseConnectionRetryFilter<FrontDoorConnectionRetry>();
        });
        return builder;
    }
}

/// <summary>
/// Retries the client's first connection until <see cref="SiloClusterOptions.FrontDoorStartWaitSeconds"/>
/// has passed: the front door may start before any silo has registered its gateway (one deploy
/// starting both), but must not hang for ever when none ever does.
/// </summary>
internal sealed partial class FrontDoorConnectionRetry(IOptions<SiloClusterOptions> options, ILogger<FrontDoorConnectionRetry> logger)
    : IClientConnectionRetryFilter
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    // Start-up waits on real time, like the schema wait: a test's manual clock must not stall it.
    private readonly TimeProvider time = TimeProvider.System;
    private long? firstFailure;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        firstFailure ??= time.GetTimestamp();
        var waited = time.GetElapsedTime(firstFailure.Value);
        var limit = TimeSpan.FromSeconds(options.Value.FrontDoorStartWaitSeconds);
        if (waited >= limit)
        {
            return false;
        }

        NoGatewayYet(logger, waited.TotalSeconds, limit.TotalSeconds, exception.Message);
        await Task.Delay(RetryDelay, time, cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "No silo gateway reached after {WaitedSeconds:0} s of {LimitSeconds:0} s; retrying: {Reason}")]
    private static partial void NoGatewayYet(ILogger logger, double waitedSeconds, double limitSeconds, string reason);
}
