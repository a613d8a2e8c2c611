using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Billing.Silo.Tests.Cluster;

/// <summary>
/// What both failover tests share: a cluster with load customers, a seeded victim silo, consume
/// load over every silo, and the books checked afterwards on a survivor.
/// </summary>
internal sealed class ClusterUnderLoad : IAsyncDisposable
{
    public const string SeedVariable = "BILLING_FAILOVER_SEED";
    private const int Workers = 12;

    private readonly ITestOutputHelper output;
    private readonly CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;

    private ClusterUnderLoad(ITestOutputHelper output, Stopwatch started, int seed, SiloCluster cluster, List<LoadCustomer> customers)
    {
        this.output = output;
        Started = started;
        Seed = seed;
        Cluster = cluster;
        Customers = customers;
        Load = new FailoverLoad(cluster.Urls, customers);
    }

    public int Seed { get; }

    public int Victim => Seed % Cluster.Silos.Count;

    public string VictimName => SiloCluster.SiloName(Victim);

    public SiloCluster Cluster { get; }

    public IReadOnlyList<LoadCustomer> Customers { get; }

    public FailoverLoad Load { get; }

    /// <summary>Runs from before the cluster starts: the test's whole time.</summary>
    public Stopwatch Started { get; }

    public static async Task<ClusterUnderLoad> StartAsync(ITestOutputHelper output, int silos, int customers, IReadOnlyDictionary<string, string> settings)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), CultureInfo.InvariantCulture, out var replay) ? replay : Random.Shared.Next();
        output.WriteLine($"seed {seed} (replay with {SeedVariable}={seed}); the victim is {SiloCluster.SiloName(seed % silos)}");
        var started = Stopwatch.StartNew();
        var cluster = await SiloCluster.StartAsync(silos, settings);
        try
        {
            var created = await FailoverScenario.CreateLoadCustomersAsync(cluster.Urls, customers);
            output.WriteLine($"cluster up and {customers} load customers created after {started.Elapsed.TotalSeconds:0.0} s");
            return new ClusterUnderLoad(output, started, seed, cluster, created);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the load and lets it run for <paramref name="warmUp"/>; returns the consumes acknowledged by then.</summary>
    public async Task<int> StartLoadAsync(TimeSpan warmUp)
    {
        running = Load.RunAsync(Workers, Seed, stop.Token);
        await Task.Delay(warmUp);
        return Load.Acknowledged.Count;
    }

    public async Task StopLoadAsync(int acknowledgedBefore)
    {
        await stop.CancelAsync();
        await running;
        output.WriteLine(
            $"{Load.Acknowledged.Count} consumes acknowledged ({acknowledgedBefore} before the victim went), " +
            $"{Load.Unavailable} answers 503 ({string.Join(", ", Load.UnavailableCodes.Select(c => $"{c.Key} {c.Value}"))}) and {Load.Broken} broken connections retried, " +
            $"{Load.Unanswered.Values.Sum()} tokens unanswered, {Load.Failures.Count} failures; load stopped at {Started.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>A client that retries (503 or a broken connection, same Idempotency-Key, another silo) never ends on a 5xx.</summary>
    public void AssertNoClientFailures()
    {
        if (Load.Failures.IsEmpty)
        {
            return;
        }

        for (var i = 0; i < Cluster.Silos.Count; i++)
        {
            output.WriteLine($"--- {SiloCluster.SiloName(i)} ({Cluster.Silos[i].Url}), last lines:");
            output.WriteLine(string.Join(Environment.NewLine, Cluster.Silos[i].OutputTail.TakeLast(80)));
        }

        Assert.Fail($"{Load.Failures.Count} consumes ended in a 5xx or ran out of retries, e.g. {Load.Failures.First()}");
    }

    /// <summary>Every acknowledged consume is durable, and every customer's books balance, read on a survivor.</summary>
    public async Task AssertBooksAsync()
    {
        var durable = await FailoverScenario.AssertDurableAsync(Cluster.Database.ConnectionString, Load);
        await FailoverScenario.AssertConservationAsync(Cluster.Urls[(Victim + 1) % Cluster.Silos.Count], Customers, Load, durable);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
        Load.Dispose();
        await Cluster.DisposeAsync();
        output.WriteLine($"test took {Started.Elapsed.TotalSeconds:0.0} s");
    }
}
