using System.Diagnostics;
using System.Globalization;
using Billing.Silo.Grains;
using Billing.Silo.Invoicing;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Billing.Benchmarks.Closing;

/// <summary>
/// Month-end as it happens in production: every shop's October ends at the same instant, each
/// shop's <c>close-period</c> reminder is in Orleans' reminder table, and a silo that started a
/// minute before the instant fires them all. Each tick activates the shop's grain, which closes,
/// prices and invoices October in one transaction and registers November's reminder. Shops, usage
/// and reminders are loaded by a first silo (not timed); the second silo's clock is real time
/// shifted to just before the due instant, so Orleans' reminder service runs as it does in production.
/// </summary>
public static class ReminderCloseBenchmark
{
    // October ends at 1 November 00:00 UTC for every (UTC) customer; the default hour of grace makes it due at 01:00.
    private static readonly DateTimeOffset Due = CloseBenchmark.October.AddMonths(1).AddHours(1);

    // The month-end silo starts this long before the due instant: enough to read 100,000 reminders and arm their timers.
    private static readonly TimeSpan StartLead = TimeSpan.FromSeconds(45);

    private static readonly TimeSpan MaxCloseDuration = TimeSpan.FromMinutes(20);

    public static async Task RunAsync(int shops, int eventsPerShop)
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await using (var setup = await BenchmarkSilo.StartAsync(database, new ShiftedTimeProvider(Due.AddHours(-3))))
        {
            var load = Stopwatch.StartNew();
            await CloseBenchmark.LoadAsync(setup.Services.GetRequiredService<SqlDatabase>(), shops, eventsPerShop, ["UTC"]);
            await RegisterRemindersAsync(setup, shops);
            Console.WriteLine($"loaded {shops:N0} shops, {shops * (long)eventsPerShop:N0} usage events and their reminders in {load.Elapsed.TotalSeconds:N1} s");
            await setup.StopAsync();
        }

        var clock = new ShiftedTimeProvider(Due - StartLead);
        await using var silo = await BenchmarkSilo.StartAsync(database, clock);
        var sql = silo.Services.GetRequiredService<SqlDatabase>();
        var untilDue = Due - clock.GetUtcNow();
        var closes = silo.Services.GetRequiredService<IOptions<BillingOptions>>().Value.MaxConcurrentReminderCloses;
        Console.WriteLine($"month-end silo started; the reminders are due in {untilDue.TotalSeconds:N0} s; {closes} closes at once");
        await Task.Delay(untilDue > TimeSpan.Zero ? untilDue : TimeSpan.Zero);

        var timer = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long invoiced = 0;
        while (invoiced < shops && timer.Elapsed < MaxCloseDuration)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            invoiced = await sql.ScalarAsync("SELECT COUNT(*) FROM invoices");
            Console.WriteLine($"  {invoiced:N0}/{shops:N0} shops invoiced, {timer.Elapsed.TotalSeconds:N0} s");
        }

        var siloCores = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / timer.Elapsed.TotalSeconds;
        // The last closes register November's reminder after their invoice: let the queue drain first.
        var queue = silo.Services.GetRequiredService<ReminderCloseQueue>();
        for (var wait = 0; wait < 600 && queue.Pending > 0; wait++)
        {
            await Task.Delay(100);
        }

        Console.WriteLine($"silo process: {siloCores:N2} cores busy on average while closing");
        // The last invoice's own time, not the poll's: the clock is real time shifted, so the difference is real seconds.
        var lastIssuedMs = await sql.ScalarAsync("SELECT COALESCE(MAX(issued_at_ms), 0) FROM invoices");
        var seconds = (DateTimeOffset.FromUnixTimeMilliseconds(lastIssuedMs) - Due).TotalSeconds;
        // Registered as "due in (due - now)", so the stored start may differ from the instant by the call's own microseconds.
        var november = await sql.ScalarAsync($"SELECT COUNT(*) FROM orleansremindertable WHERE starttime BETWEEN '{Due.AddMonths(1).AddSeconds(-1):O}' AND '{Due.AddMonths(1).AddSeconds(1):O}'");
        var retrying = await sql.ScalarAsync($"SELECT COUNT(*) FROM orleansstorage WHERE graintypestring = '{ShopGrain.CloseStateName}'");
        Console.WriteLine("| shops | events per shop | invoices issued | November reminders | shops that retried | seconds from the due instant | shops/s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {shops:N0} | {eventsPerShop} | {invoiced:N0} | {november:N0} | {retrying:N0} | {seconds:N1} | {invoiced / seconds:N0} |"));
        await silo.StopAsync();
    }

    /// <summary>What each shop grain registers after its first activation: <c>close-period</c>, first due at October's due instant.</summary>
    private static async Task RegisterRemindersAsync(WebApplication silo, int shops)
    {
        var table = silo.Services.GetRequiredService<IReminderTable>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = 32 };
        await Parallel.ForEachAsync(Enumerable.Range(1, shops), options, async (i, _) =>
        {
            var shopId = string.Create(CultureInfo.InvariantCulture, $"shop_{i:D20}");
            await table.UpsertRow(new ReminderEntry
            {
                GrainId = GrainId.Create("shop", shopId),
                ReminderName = ShopGrain.CloseReminder,
                StartAt = Due.UtcDateTime,
                Period = ShopGrain.CloseRetryPeriod,
            });
        });
    }
}
