using Billing.Silo.Telemetry;
using System.Net;
using Billing.Silo.Storage.GrainState;
using Billing.Silo.Storage.Reminders;
using Billing.Silo.Storage.Sql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;

namespace Billing.Silo.Hosting;

/// <summary>
/// The Orleans silo inside the web host. On PostgreSQL, membership and reminders go through
/// Orleans' AdoNet providers (their tables and queries come from the silo's own migrations); on
/// SQLite the silo is a cluster of one on 127.0.0.1 and keeps its reminders and grain state in
/// the SQLite file. Either way grain state is the <see cref="GrainStorages.Billing"/> storage.
/// </summary>
public static class ClusterHosting
{
    public const string PostgresInvariant = "Npgsql";

    /// <summary>Registers <c>Billing:Cluster</c> (validated at start, with the storage it needs) and returns it as configured now, for wiring.</summary>
    public static SiloClusterOptions AddClusterOptions(this IHostApplicationBuilder builder)
    {
        var postgres = StorageSettings.Read(builder.Configuration).IsPostgres;
        var section = builder.Configuration.GetSection(SiloClusterOptions.SectionName);
        builder.Services.AddValidatedOptions<SiloClusterOptions>(section, o => o.Validate(postgres));
        return section.Get<SiloClusterOptions>() ?? new SiloClusterOptions();
    }

    public static IHostApplicationBuilder AddBillingCluster(this IHostApplicationBuilder builder, SiloClusterOptions cluster)
    {
        var storage = StorageSettings.Read(builder.Configuration);

        // Orleans resolves a clock per area and falls back to the unkeyed TimeProvider. Grains and
        // reminders follow it (a test's manual clock drives month ends); messaging, membership,
        // activation collection and the silo's maintenance loops stay on real time, so moving a
        // test clock by a month neither times out calls in flight, votes silos dead, nor spins
        // every one-second maintenance loop a million times.
        foreach (var area in new[] { TimeProviderNames.Messaging, TimeProviderNames.Membership, TimeProviderNames.ActivationManagement, TimeProviderNames.SystemTimers })
        {
            builder.Services.AddKeyedSingleton(area, TimeProvider.System);
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = cluster.SiloName);
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromMilliseconds(cluster.ProbeTimeoutMs);
                o.MaxProbeTimeout = TimeSpan.FromMilliseconds(cluster.MaxProbeTimeoutMs);
                o.NumMissedProbesLimit = cluster.MissedProbesLimit;
            });
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(cluster.CallTimeoutMs));
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(cluster.CollectionAgeMinutes));
            // Every silo: the dashboard gathers each silo's counters through a grain service on that
            // silo, and the load balancer may send the operator's browser to any of them.
            silo.AddDashboard();
            if (builder.Configuration.IsTelemetryEnabled())
            {
                // Trace context through grain calls; without it (telemetry off) no filter runs on any call.
                silo.AddActivityPropagation();
            }

            if (storage.IsPostgres)
            {
                UsePostgres(silo, cluster, storage.ConnectionString!);
            }
            else
            {
                UseSqlite(silo, cluster);
            }
        });
        return builder;
    }

    private static void UsePostgres(ISiloBuilder silo, SiloClusterOptions cluster, string connectionString)
    {
        var advertised = cluster.AdvertisedIp;
        if (advertised is null)
        {
            silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: cluster.ListenOnAnyAddress);
        }
        else
        {
            silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, cluster.ListenOnAnyAddress);
        }

        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(GrainStorages.Billing, o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = connectionString;
        });
    }

    private static void UseSqlite(ISiloBuilder silo, SiloClusterOptions cluster)
    {
        silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = cluster.AdvertisedIp ?? IPAddress.Loopback);
        silo.AddReminders();
        silo.Services.RemoveAll<IReminderTable>();
        silo.Services.AddSingleton<IReminderTable, SqliteReminderTable>();
        // Orleans' ADO.NET grain storage has no SQLite scripts: this adapter keeps its contract on the file.
        silo.Services.AddGrainStorage(GrainStorages.Billing, (services, _) => ActivatorUtilities.CreateInstance<SqliteGrainStorage>(services));
    }
}
