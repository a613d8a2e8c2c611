using System.Diagnostics;
using System.Globalization;
using System.Net;
using Billing.Testing;
using Npgsql;

namespace Billing.Silo.Tests.Cluster;

/// <summary>
/// Several silo processes on one PostgreSQL database, one Orleans cluster: each on its own
/// loopback silo port and HTTP port, advertising 127.0.0.1, no gateway (the HTTP front door of
/// every silo is the way in).
/// </summary>
internal sealed class SiloCluster : IAsyncDisposable
{
    public const string AdminKey = "failover-test-admin-key-0123456789-abcdef";
    private const int ActiveStatus = 3; // Orleans.Runtime.SiloStatus.Active in the membership table
    private const int DeadStatus = 6;

    private readonly string workingDirectory;
    private readonly List<SiloProcess> silos;

    private SiloCluster(TestDatabase database, string workingDirectory, List<SiloProcess> silos)
    {
        Database = database;
        this.workingDirectory = workingDirectory;
        this.silos = silos;
    }

    public TestDatabase Database { get; }

    public IReadOnlyList<SiloProcess> Silos => silos;

    public IReadOnlyList<Uri> Urls => [.. silos.Select(s => s.Url)];

    public static async Task<SiloCluster> StartAsync(int count, IReadOnlyDictionary<string, string> settings)
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var workingDirectory = Directory.CreateTempSubdirectory("billing-failover-").FullName;
        var silos = new List<SiloProcess>();
        var cluster = new SiloCluster(database, workingDirectory, silos);
        try
        {
            // The first silo migrates the schema alone; the others then start side by side.
            silos.Add(SiloProcess.Start(workingDirectory, Environment(database, settings, 0)));
            await cluster.WaitHealthyAsync(silos[0]);
            for (var i = 1; i < count; i++)
            {
                silos.Add(SiloProcess.Start(workingDirectory, Environment(database, settings, i)));
            }

            foreach (var silo in silos.Skip(1))
            {
                await cluster.WaitHealthyAsync(silo);
            }

            await Eventually.TrueAsync(async () => await cluster.ActiveSilosAsync() == count, $"{count} active silos in the membership table", 30_000);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public Task<long> ActiveSilosAsync() => ScalarAsync($"SELECT COUNT(*) FROM orleansmembershiptable WHERE status = {ActiveStatus}");

    /// <summary>The silos' endpoints as Orleans advertises them (address, silo port, generation), for the reminder ring.</summary>
    public async Task<List<(string Name, IPEndPoint Endpoint, int Generation)>> ActiveMembersAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT siloname, address, port, generation FROM orleansmembershiptable WHERE status = {ActiveStatus}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var members = new List<(string, IPEndPoint, int)>();
        while (await reader.ReadAsync())
        {
            members.Add((reader.GetString(0), new IPEndPoint(IPAddress.Parse(reader.GetString(1)), reader.GetInt32(2)), reader.GetInt32(3)));
        }

        return members;
    }

    /// <summary>Seconds until the membership table says the silo is dead (voted out), or null if not within <paramref name="limit"/>.</summary>
    public async Task<double?> SecondsUntilDeclaredDeadAsync(string siloName, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            if (await ScalarAsync($"SELECT COUNT(*) FROM orleansmembershiptable WHERE siloname = '{siloName}' AND status = {DeadStatus}") > 0)
            {
                return waited.Elapsed.TotalSeconds;
            }

            await Task.Delay(100);
        }

        return null;
    }

    public static string SiloName(int index) => $"failover-{index}";

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in silos)
        {
            silo.Dispose();
        }

        await Database.DisposeAsync();
        Directory.Delete(workingDirectory, recursive: true);
    }

    private async Task WaitHealthyAsync(SiloProcess silo)
    {
        var started = Stopwatch.StartNew();
        var status = await silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"silo {silo.Url} answered /health with {status?.ToString() ?? "nothing"} after {started.Elapsed.TotalSeconds:0.0} s");
        }
    }

    private static Dictionary<string, string> Environment(TestDatabase database, IReadOnlyDictionary<string, string> settings, int index)
    {
        var environment = new Dictionary<string, string>
        {
            ["Billing__Storage"] = "postgres",
            ["ConnectionStrings__Billing"] = database.ConnectionString,
            ["Billing__AdminKey"] = AdminKey,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Billing__Cluster__SiloName"] = SiloName(index),
            ["Billing__Cluster__ClusterId"] = "failover",
            ["Billing__Cluster__ServiceId"] = "failover",
            ["Billing__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Billing__Cluster__SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Billing__Cluster__GatewayPort"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }
}
