using System.Diagnostics;
using System.Globalization;
using Billing.Testing;
using Xunit.Abstractions;

namespace Billing.Silo.Tests.Cluster;

/// <summary>
/// Three silo processes on one PostgreSQL database under consume load spread over all of them (any
/// silo answers any customer; Orleans routes to the grain). One silo is killed without a shutdown,
/// frozen, or stopped gracefully, and the books, the customers and the month-end reminders must
/// survive it.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Silos = 3;
    private const int LoadCustomers = 12;
    private const int ReminderShops = 24;
    private static readonly TimeSpan LoadBeforeStop = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ServedAgainBound = TimeSpan.FromSeconds(20);

    // The moved close reminders tick this long after the kill: after the dead silo is gone (it can
    // deliver none of them) and, with margin, after the survivors have voted it out and taken over
    // its part of the reminder ring. Were the takeover later, Orleans' next tick comes a reminder
    // period (1 min) on.
    private static readonly TimeSpan ReminderDueAfterKill = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReminderWaitAfterKill = TimeSpan.FromSeconds(100);

    private static readonly Dictionary<string, string> Settings = new()
    {
        // The moved-back period is due the moment it ended, whatever the time of day the test runs.
        ["Billing__Invoicing__GracePeriodMinutes"] = "0",
    };

    [Fact]
    public async Task KillingASiloLosesNoAcknowledgedConsumeAndItsCustomersAndRemindersMoveToTheSurvivors()
    {
        await using var run = await ClusterUnderLoad.StartAsync(output, Silos, LoadCustomers, Settings);
        var shops = await FailoverScenario.CreateReminderShopsAsync(run.Cluster.Urls, ReminderShops);
        output.WriteLine($"{ReminderShops} closing shops created after {run.Started.Elapsed.TotalSeconds:0.0} s");

        var ackedBeforeKill = await run.StartLoadAsync(LoadBeforeStop);
        var (deadRange, movedBack, killedAt) = await KillWithDueRemindersAsync(run, shops);
        await AssertFailedOverAsync(run, "kill", ackedBeforeKill);
        await AssertRemindersFiredOnSurvivorsAsync(run.Cluster, movedBack, deadRange, killedAt);
    }

    /// <summary>
    /// A silent death: nothing resets the connections, so only the probes' timeouts find it; the
    /// membership settings (probes missed × the longest probe timeout, then a vote) must keep the
    /// failover within the bound. (A SIGKILL on one machine is found at once: the kernel resets.)
    /// </summary>
    [Fact]
    public async Task AFrozenSiloIsVotedOutAndItsCustomersAreServedElsewhereInTime()
    {
        await using var run = await ClusterUnderLoad.StartAsync(output, Silos, LoadCustomers, Settings);
        var ackedBeforeFreeze = await run.StartLoadAsync(LoadBeforeStop);
        // Clients stop choosing it, as a load balancer's health check would; what was in flight times out and is retried.
        run.Load.TakeDown(run.Victim);
        await run.Cluster.Silos[run.Victim].FreezeAsync();
        run.Load.Mark();
        await AssertFailedOverAsync(run, "freeze", ackedBeforeFreeze);
    }

    [Fact]
    public async Task StoppingASiloGracefullyUnderLoadLosesNothingAndARetryingClientSeesNo5xx()
    {
        await using var run = await ClusterUnderLoad.StartAsync(output, Silos, LoadCustomers, Settings);
        var ackedBeforeStop = await run.StartLoadAsync(LoadBeforeStop);
        var stopping = Stopwatch.StartNew();
        // Clients keep sending to the stopping silo: what it refuses they retry elsewhere.
        var victim = run.Cluster.Silos[run.Victim];
        var exited = await victim.TerminateAsync(TimeSpan.FromSeconds(45));
        run.Load.TakeDown(run.Victim);
        output.WriteLine($"SIGTERM: {run.VictimName} exited {(exited ? $"with code {victim.Process.ExitCode}" : "not at all")} after {stopping.Elapsed.TotalSeconds:0.0} s");
        // A graceful stop marks the silo dead itself: nobody has to vote it out.
        output.WriteLine($"its membership entry read dead {await run.Cluster.SecondsUntilDeclaredDeadAsync(run.VictimName, TimeSpan.FromSeconds(5)):0.00} s after the exit");
        run.Load.Mark();
        await WaitQuietlyAsync(() => run.Load.EveryCustomerServedAfterMark, TimeSpan.FromSeconds(10));
        await run.StopLoadAsync(ackedBeforeStop);

        Assert.True(exited, "the silo did not exit within 45 s of SIGTERM");
        run.AssertNoClientFailures();
        Assert.True(run.Load.EveryCustomerServedAfterMark, "some customers were not served after the stop");
        await run.AssertBooksAsync();
    }

    /// <summary>
    /// Makes the closing shops' periods due and their reminders tick shortly after the kill, then
    /// kills the victim (SIGKILL). Returns the shops whose reminder rows the victim owned on the ring.
    /// </summary>
    /// <remarks>
    /// Real time runs in the processes and a calendar period cannot be made to end a minute from
    /// now. So the open periods are moved back to the (ended) period before them, and the reminder
    /// rows, registered by the shops through Orleans, are moved to tick after the kill. The victim
    /// cannot deliver what is due after its death, and before it no row is due, so every close is a
    /// tick a survivor delivered; the ring tells which rows were the victim's.
    /// </remarks>
    private async Task<(List<string> DeadRange, Dictionary<string, string> MovedBack, DateTimeOffset KilledAt)> KillWithDueRemindersAsync(
        ClusterUnderLoad run, List<string> shops)
    {
        await using var connection = await run.Cluster.OpenAsync();
        var ring = new ReminderRing(await run.Cluster.ActiveMembersAsync());
        var rows = await FailoverScenario.CloseRemindersAsync(connection);
        var owners = shops.ToDictionary(s => s, s => ring.OwnerOf(rows[s]));
        var deadRange = shops.Where(s => owners[s] == run.VictimName).ToList();
        output.WriteLine($"close reminders per owner on the ring: {string.Join(", ", owners.Values.GroupBy(o => o).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
        Assert.NotEmpty(deadRange);

        var movedBack = await FailoverScenario.MoveOpenPeriodsBackAsync(connection, shops);
        var dueAt = DateTimeOffset.UtcNow + ReminderDueAfterKill;
        await FailoverScenario.MoveCloseRemindersAsync(connection, shops, dueAt);
        Assert.Empty(await FailoverScenario.InvoicesAsync(connection));
        run.Load.TakeDown(run.Victim);
        await run.Cluster.Silos[run.Victim].KillAsync();
        run.Load.Mark();
        var killedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"killed {run.VictimName} at {killedAt:HH:mm:ss.fff}, {(dueAt - killedAt).TotalSeconds:0.0} s before the moved reminders are due");
        Assert.True(killedAt < dueAt, "the kill came after the moved reminders were due: the victim may have delivered some");
        return (deadRange, movedBack, killedAt);
    }

    private async Task AssertRemindersFiredOnSurvivorsAsync(SiloCluster cluster, Dictionary<string, string> movedBack, List<string> deadRange, DateTimeOffset killedAt)
    {
        var shops = movedBack.Keys.ToList();
        await using var connection = await cluster.OpenAsync();
        var deadline = killedAt + ReminderWaitAfterKill;
        var invoices = await FailoverScenario.InvoicesAsync(connection);
        while (invoices.Select(i => i.Shop).Distinct().Count() < shops.Count && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(500);
            invoices = await FailoverScenario.InvoicesAsync(connection);
        }

        var invoiced = invoices.Select(i => i.Shop).ToHashSet();
        var lastIssued = invoices.Count == 0 ? (DateTimeOffset?)null : invoices.Max(i => i.IssuedAt);
        output.WriteLine($"{invoiced.Count} of {shops.Count} closing shops invoiced ({deadRange.Count(invoiced.Contains)} of the {deadRange.Count} in the killed silo's range); last invoice {(lastIssued - killedAt)?.TotalSeconds:0.0} s after the kill");
        Assert.All(deadRange, shop => Assert.Contains(shop, invoiced));
        Assert.All(shops, shop => Assert.Contains(shop, invoiced));
        Assert.All(invoices, invoice => Assert.True(invoice.IssuedAt >= killedAt, $"{invoice.Shop} was invoiced before the kill, at {invoice.IssuedAt:HH:mm:ss.fff}"));
        // One invoice per shop and period (UNIQUE (shop_id, period_start) says so too): the moved-back
        // period's, once (a run across a month end may add the next period's, never a second of one).
        Assert.DoesNotContain(invoices.GroupBy(i => (i.Shop, i.PeriodStart)), g => g.Count() > 1);
        Assert.All(shops, shop => Assert.Single(invoices, i => i.Shop == shop && i.PeriodStart == movedBack[shop]));
        Assert.Equal(invoices.Count, await cluster.ScalarAsync("SELECT COUNT(DISTINCT (shop_id, period_start)) FROM invoices"));
    }

    /// <summary>
    /// Once the victim is gone (the load's mark): the load runs on until every customer was served
    /// again (bounded), then the failover is measured and asserted, and the books checked.
    /// </summary>
    private async Task AssertFailedOverAsync(ClusterUnderLoad run, string what, int acknowledgedBefore)
    {
        var declaredDead = run.Cluster.SecondsUntilDeclaredDeadAsync(run.VictimName, TimeSpan.FromSeconds(40));
        await WaitQuietlyAsync(() => run.Load.EveryCustomerServedAfterMark, ServedAgainBound + TimeSpan.FromSeconds(10));
        await run.StopLoadAsync(acknowledgedBefore);
        output.WriteLine($"the membership table declared {run.VictimName} dead {await declaredDead:0.00} s after the {what}");

        AssertServedAgainInTime(run.Load, what);
        run.AssertNoClientFailures();
        await run.AssertBooksAsync();
    }

    /// <summary>Every customer had a consume, sent after the silo went, succeed on a survivor within the bound.</summary>
    private void AssertServedAgainInTime(FailoverLoad load, string what)
    {
        var served = load.ServedAfterMark;
        output.WriteLine($"served again after the {what} (s): max {Max(served):0.00}, median {Median(served):0.00}; per customer: {string.Join(" ", served.Values.Order().Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))}");
        Assert.True(load.EveryCustomerServedAfterMark, $"{LoadCustomers - served.Count} customers were not served again within {ServedAgainBound.TotalSeconds + 10} s of the {what}");
        Assert.True(Max(served) <= ServedAgainBound.TotalSeconds, $"a customer waited {Max(served):0.00} s to be served again after the {what}");
    }

    /// <summary>Waits (bounded) for a condition; the caller asserts it, so a timeout here is not the failure.</summary>
    private static async Task WaitQuietlyAsync(Func<bool> condition, TimeSpan limit)
    {
        try
        {
            await Eventually.TrueAsync(condition, "the condition", (int)limit.TotalMilliseconds);
        }
        catch (TimeoutException)
        {
        }
    }

    private static double Max(IReadOnlyDictionary<string, double> seconds) => seconds.Count == 0 ? double.NaN : seconds.Values.Max();

    private static double Median(IReadOnlyDictionary<string, double> seconds) =>
        seconds.Count == 0 ? double.NaN : seconds.Values.Order().ElementAt(seconds.Count / 2);
}
