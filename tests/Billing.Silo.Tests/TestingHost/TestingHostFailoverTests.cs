using System.Diagnostics;
using Billing.Silo.Grains;
using Billing.Silo.Invoicing;
using Billing.Silo.Tests.Cluster;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Runtime;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Billing.Silo.Tests.TestingHost;

/// <summary>
/// Three silos of the real wiring on Orleans' TestingHost over one PostgreSQL database (see
/// <see cref="BillingTestCluster"/>). A silo is killed or stopped gracefully under consume load;
/// the acknowledged consumes, the balances and the month-end reminders must survive it.
/// TestingHost's kill stops the host with a cancelled token: no grain is deactivated, calls in
/// flight are dropped and the journal is not drained, but Orleans still marks the silo dead in the
/// membership table on its way out. A silent death (probes, votes) and a SIGKILL are
/// Cluster/FailoverTests' to prove, on real processes; these run in one process, in seconds.
/// </summary>
public sealed class TestingHostFailoverTests(ITestOutputHelper output)
{
    private const short Silos = 3;
    private const int LoadCustomers = 12;
    private const int ReminderShops = 18;
    private static readonly TimeSpan LoadBeforeStop = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan ServedAgainBound = TimeSpan.FromSeconds(20);

    // 20:00 UTC on 30 November: the UTC shops' November closes at 1 December 00:00 plus the grace.
    private static readonly DateTimeOffset BeforeMonthEnd = new(2026, 11, 30, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task KillingASiloLosesNoAcknowledgedConsumeAndEveryCustomerIsServedAgainByTheSurvivors()
    {
        await using var cluster = await BillingTestCluster.StartAsync(Silos, BeforeMonthEnd);
        var (customers, victim) = await CustomersOnSeveralSilosAsync(cluster);

        var load = await LoadAcrossAsync(cluster, customers, "kill", () => cluster.Cluster.KillSiloAsync(victim));

        Assert.True(load.Retries > 0, "no call failed over the kill: the test tested no retry");
        await ClusterBooks.AssertAsync(cluster, load, customers);
    }

    [Fact]
    public async Task StoppingASiloGracefullyUnderLoadLosesNoAcknowledgedConsume()
    {
        await using var cluster = await BillingTestCluster.StartAsync(Silos, BeforeMonthEnd);
        var (customers, victim) = await CustomersOnSeveralSilosAsync(cluster);

        var load = await LoadAcrossAsync(cluster, customers, "graceful stop", () => cluster.Cluster.StopSiloAsync(victim).WaitAsync(TimeSpan.FromSeconds(30)));

        await ClusterBooks.AssertAsync(cluster, load, customers);
    }

    /// <summary>
    /// The victim hosts shop grains and owns close reminders on the reminder ring when it is killed,
    /// before the month ends. When the clock passes the month end, the survivors deliver every close
    /// (the victim's part of the ring included), and each shop's November is invoiced exactly once.
    /// </summary>
    [Fact]
    public async Task MonthEndRemindersOfAKilledSilosShopsFireOnTheSurvivorsAndInvoiceEachPeriodOnce()
    {
        await using var cluster = await BillingTestCluster.StartAsync(Silos, BeforeMonthEnd);
        var shops = (await ClusterLoad.CreateCustomersAsync(cluster, ReminderShops)).Select(c => c.ShopId).ToList();
        var hosts = await cluster.HostsAsync<IShopGrain>(shops);
        var owners = await ReminderOwnersAsync(cluster, shops);
        // The silo with the most of both; it must host some shops and own some reminders.
        var victim = cluster.Silos.MaxBy(s => Math.Min(Hosted(s).Count, Owned(s).Count) * 100 + Hosted(s).Count + Owned(s).Count)!;
        var (hostedByVictim, ownedByVictim) = (Hosted(victim), Owned(victim));
        output.WriteLine($"{victim.Name} hosts {hostedByVictim.Count} and owns the close reminders of {ownedByVictim.Count} of {shops.Count} shops");
        Assert.NotEmpty(hostedByVictim);
        Assert.NotEmpty(ownedByVictim);
        Assert.Equal(0, await cluster.ScalarAsync("SELECT COUNT(*) FROM invoices"));

        await cluster.Cluster.KillSiloAsync(victim);
        await cluster.WaitUntilEverySiloSeesAsync(Silos - 1);
        var due = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) + cluster.Silos[0].ServiceProvider.GetRequiredService<IOptions<BillingOptions>>().Value.GracePeriod;
        await AdvanceUntilInvoicedAsync(cluster, due, shops.Count);

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        var invoices = await FailoverScenario.InvoicesAsync(connection);
        Assert.All(hostedByVictim.Concat(ownedByVictim), shop => Assert.Contains(invoices, i => i.Shop == shop));
        Assert.All(shops, shop => Assert.Single(invoices, i => i.Shop == shop && i.PeriodStart == "2026-11-01"));
        Assert.Equal(shops.Count, invoices.Count);
        Assert.All(invoices, i => Assert.True(i.IssuedAt >= due, $"{i.Shop} was invoiced at {i.IssuedAt:O}, before its period was due"));

        List<string> Hosted(InProcessSiloHandle silo) => [.. shops.Where(s => hosts[s].Equals(silo.SiloAddress))];
        List<string> Owned(InProcessSiloHandle silo) => [.. shops.Where(s => owners[s] == silo.Name)];
    }

    /// <summary>Customers made and their grains activated; the victim is the silo hosting the most of them, and more than one silo hosts some.</summary>
    private async Task<(List<ClusterCustomer> Customers, InProcessSiloHandle Victim)> CustomersOnSeveralSilosAsync(BillingTestCluster cluster)
    {
        var customers = await ClusterLoad.CreateCustomersAsync(cluster, LoadCustomers);
        var hosts = await cluster.HostsAsync<ISubscriptionGrain>(customers.Select(c => c.CustomerId));
        var perSilo = hosts.Values.GroupBy(a => a).OrderByDescending(g => g.Count()).ToList();
        output.WriteLine($"subscription grains per silo: {string.Join(", ", perSilo.Select(g => $"{cluster.SiloAt(g.Key).Name} {g.Count()}"))}");
        Assert.True(perSilo.Count > 1, "every customer's grain is on one silo: the test would test no spread");
        return (customers, cluster.SiloAt(perSilo[0].Key));
    }

    /// <summary>
    /// Consumes for every customer; after a while <paramref name="takeDown"/> takes a silo away, and the
    /// load runs on until the survivors see it gone and every customer was served again (bounded).
    /// </summary>
    private async Task<ClusterLoad> LoadAcrossAsync(BillingTestCluster cluster, List<ClusterCustomer> customers, string what, Func<Task> takeDown)
    {
        var load = new ClusterLoad(cluster.Client, customers);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        int ackedBefore;
        var down = Stopwatch.StartNew();
        try
        {
            await Task.Delay(LoadBeforeStop);
            ackedBefore = load.Acknowledged.Count;
            down.Restart();
            await takeDown();
            load.Mark();
            output.WriteLine($"{what} took {down.Elapsed.TotalSeconds:0.0} s");
            await cluster.WaitUntilEverySiloSeesAsync(Silos - 1);
            await WaitQuietlyAsync(() => load.EveryCustomerServedAfterMark);
        }
        finally
        {
            stop.Cancel();
            await running;
        }

        output.WriteLine($"{ackedBefore} consumes acknowledged before the {what}, {load.Acknowledged.Count} in all, {load.Retries} retries; load stopped {down.Elapsed.TotalSeconds:0.0} s after the {what} began");
        Assert.True(ackedBefore > 0, $"no consume was acknowledged before the {what}");
        Assert.True(load.EveryCustomerServedAfterMark, $"not every customer was served again within {ServedAgainBound.TotalSeconds} s of the {what}");
        return load;
    }

    /// <summary>Which silo's reminder service delivers each shop's close reminder, from the rows' grain hashes and the ring.</summary>
    private static async Task<Dictionary<string, string>> ReminderOwnersAsync(BillingTestCluster cluster, List<string> shops)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        var rows = await FailoverScenario.CloseRemindersAsync(connection);
        var ring = new ReminderRing(cluster.Silos.Select(s => (s.Name, s.SiloAddress.Endpoint, s.SiloAddress.Generation)));
        return shops.ToDictionary(s => s, s => ring.OwnerOf(rows[s]));
    }

    /// <summary>
    /// Moves the shared clock to <paramref name="due"/>, then a second at a time (bounded in steps
    /// and real time) until <paramref name="shops"/> invoices exist. A reminder the survivors took
    /// over after its due instant ticks on its next one-minute period, which the steps reach.
    /// </summary>
    private async Task AdvanceUntilInvoicedAsync(BillingTestCluster cluster, DateTimeOffset due, int shops)
    {
        cluster.Time.SetUtcNow(due);
        var waited = Stopwatch.StartNew();
        for (var step = 0; step < 300 && waited.Elapsed < TimeSpan.FromSeconds(30); step++)
        {
            if (await cluster.ScalarAsync("SELECT COUNT(*) FROM invoices") >= shops)
            {
                break;
            }

            cluster.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        output.WriteLine($"invoiced by {cluster.Time.GetUtcNow():HH:mm:ss} on the clock, {waited.Elapsed.TotalSeconds:0.0} s after the due time");
    }

    /// <summary>Waits (bounded) for a condition the caller then asserts, so a timeout here is not the failure.</summary>
    private static async Task WaitQuietlyAsync(Func<bool> condition)
    {
        try
        {
            await Eventually.TrueAsync(condition, "the condition", (int)ServedAgainBound.TotalMilliseconds);
        }
        catch (TimeoutException)
        {
        }
    }
}
