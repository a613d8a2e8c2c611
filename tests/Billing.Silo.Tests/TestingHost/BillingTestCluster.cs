using System.Globalization;
using Billing.Silo.Hosting;
using Billing.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Billing.Silo.Tests.TestingHost;

/// <summary>
/// Silos in this process on Orleans' TestingHost, each built by the product's own wiring
/// (<see cref="SiloHostingExtensions.AddBillingSilo"/>: the schema and its migrations, the usage
/// journal and its ledger fencing, the stores, the grains, AdoNet clustering and reminders, the
/// <c>Billing:Cluster</c> membership tuning) over one fresh PostgreSQL database. Each silo listens
/// on its own loopback silo and gateway port; they talk TCP and find each other in the AdoNet
/// membership table, as deployed silos do. The cluster's client finds the gateways in that table,
/// as the front door does. One manual clock drives the grains and reminders of every silo.
/// </summary>
internal sealed class BillingTestCluster : IAsyncDisposable
{
    public const string AdminKey = "testinghost-admin-key-0123456789-abcdef";

    private static readonly TimeSpan SiloViewBound = TimeSpan.FromSeconds(30);

    private readonly string clusterId = "th-" + Guid.NewGuid().ToString("N")[..12];
    private readonly IReadOnlyDictionary<string, string> settings;
    private TestCluster? cluster;

    private BillingTestCluster(TestDatabase database, DateTimeOffset now, IReadOnlyDictionary<string, string> settings)
    {
        Database = database;
        Time = new ManualTimeProvider(now);
        this.settings = settings;
        // The three silos share this process's one Npgsql pool (same connection string): room for all of them.
        ConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 40 }.ConnectionString;
    }

    public TestDatabase Database { get; }

    public string ConnectionString { get; }

    public ManualTimeProvider Time { get; }

    public TestCluster Cluster => cluster ?? throw new InvalidOperationException("not deployed");

    public IClusterClient Client => Cluster.Client;

    public IReadOnlyList<InProcessSiloHandle> Silos => [.. Cluster.Silos.Cast<InProcessSiloHandle>()];

    public static async Task<BillingTestCluster> StartAsync(short silos, DateTimeOffset now, IReadOnlyDictionary<string, string>? settings = null)
    {
        var started = new BillingTestCluster(await TestDatabase.CreatePostgresAsync(), now, settings ?? new Dictionary<string, string>());
        try
        {
            // One silo first, alone: it migrates the schema and is the cluster the others join.
            // Started all at once, two of three silos took 5-6 s to join instead of 1-2 s.
            var builder = new TestClusterBuilder(1);
            builder.Options.ClusterId = started.clusterId;
            builder.Options.ServiceId = started.clusterId;
            // The silos' AdoNet membership table, not TestingHost's in-memory development one.
            builder.Options.UseTestClusterMembership = false;
            builder.Options.ConfigureFileLogging = false;
            // TestingHost's own start-up wait asks a test-hook system target that only its silo
            // factory registers; this waits on each silo's membership view instead.
            builder.Options.InitializeClientOnDeploy = false;
            builder.Properties["ConnectionStrings:Billing"] = started.ConnectionString;
            builder.AddClientBuilderConfigurator<GatewaysFromMembershipTable>();
            // The product's host per silo, not TestingHost's: its hosted services start in the
            // product's order (schema, journal, then the silo) and stop in reverse. Also selects TCP.
            builder.CreateSiloAsync = (name, _) => started.StartSiloAsync(name);
            started.cluster = builder.Build();
            await started.Cluster.DeployAsync();
            await started.Cluster.StartAdditionalSilosAsync(silos - 1);
            await started.Cluster.InitializeClientAsync();
            await started.WaitUntilEverySiloSeesAsync(silos);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits (bounded) until every running silo's membership view holds exactly <paramref name="active"/> active silos.</summary>
    public Task WaitUntilEverySiloSeesAsync(int active) =>
        Eventually.TrueAsync(
            () => Silos.All(s => ActiveSilos(s) == active),
            $"every silo sees {active} active silos",
            (int)SiloViewBound.TotalMilliseconds);

    /// <summary>The running silo that hosts the activation at <paramref name="address"/>.</summary>
    public InProcessSiloHandle SiloAt(SiloAddress address) => Silos.Single(s => s.SiloAddress.Equals(address));

    /// <summary>Where each grain is active now, as the cluster's directory says.</summary>
    public async Task<Dictionary<string, SiloAddress>> HostsAsync<TGrain>(IEnumerable<string> keys)
        where TGrain : IGrainWithStringKey
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        var hosts = new Dictionary<string, SiloAddress>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            hosts[key] = await management.GetActivationAddress(Client.GetGrain<TGrain>(key))
                ?? throw new InvalidOperationException($"{typeof(TGrain).Name} {key} is not active");
        }

        return hosts;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Stops the client, then every silo gracefully and at once: their journals make the last balances durable.</summary>
    public async Task StopAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopClusterClientAsync();
            await Task.WhenAll(cluster.Silos.Select(cluster.StopSiloAsync));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
        finally
        {
            await Database.DisposeAsync();
        }
    }

    private static int ActiveSilos(InProcessSiloHandle silo) =>
        silo.ServiceProvider.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);

    private async Task<SiloHandle> StartSiloAsync(string name)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = name, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(SiloSettings(name));
        builder.AddBillingSilo();
        // After the silo's own: grains and reminders follow the test's clock; messaging and
        // membership stay on real time, as the silo keys them.
        builder.Services.AddSingleton<TimeProvider>(Time);
        OrleansReminderClock.Register(builder.Services, Time);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        var silo = host.Services.GetRequiredService<ILocalSiloDetails>();
        return new InProcessSiloHandle { Name = name, SiloHost = host, SiloAddress = silo.SiloAddress, GatewayAddress = silo.GatewayAddress };
    }

    private Dictionary<string, string?> SiloSettings(string name)
    {
        var values = new Dictionary<string, string?>
        {
            ["Billing:Storage"] = StorageOptions.Postgres,
            ["ConnectionStrings:Billing"] = ConnectionString,
            ["Billing:AdminKey"] = AdminKey,
            ["Billing:Cluster:SiloName"] = name,
            ["Billing:Cluster:ClusterId"] = clusterId,
            ["Billing:Cluster:ServiceId"] = clusterId,
            ["Billing:Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["Billing:Cluster:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Billing:Cluster:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return values;
    }
}
