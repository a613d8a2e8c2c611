using Billing.Silo.Grains;
using System.Diagnostics;
using Billing.Domain;
using Billing.Silo.Metering.Journal;
using Billing.Silo.Metering;

namespace Billing.Benchmarks.Metering;

/// <summary>
/// The metering path without HTTP, on PostgreSQL: durable consumes through the subscription grain
/// and the usage journal, the same work as one transaction per request, and batch ingest.
/// </summary>
public static class MeteringBenchmark
{
    private const long TokensEach = 1_000_000_000;

    public static async Task<IReadOnlyList<BenchmarkResult>> RunAsync(int customers, int callers, long operations, int batchCalls)
    {
        await using var silo = await MeteringSilo.StartAsync(customers, TokensEach);
        var journal = await DriveConsumesAsync("durable consumes (grain + journal)", silo, callers, operations);
        Console.Error.WriteLine($"journal: {silo.Journal.Batches} batches, {silo.Journal.Entries} entries, commit p50 {silo.Journal.CommitLatency.PercentileMicroseconds(0.5) / 1000.0:0.###} ms p99 {silo.Journal.CommitLatency.PercentileMicroseconds(0.99) / 1000.0:0.###} ms");
        await silo.Journal.FlushBalancesAsync(CancellationToken.None);
        var perRequest = new PerRequestTransactionConsumer(silo.Postgres.DataSource);
        var baseline = await DriveAsync("per-request transaction", silo, callers, operations / 10, 1, silo.BaselineCustomers, async (c, s, _) =>
        {
            if (await perRequest.ConsumeAsync(c, s, 1, CancellationToken.None) is null)
            {
                throw new InvalidOperationException("the per-request baseline ran out of tokens");
            }
        });
        var commands = Enumerable.Range(0, 1_000).Select(_ => Command("")).ToArray();
        var batches = await DriveAsync("batch ingest (1,000 events/call)", silo, Math.Min(callers, 16), batchCalls, 1_000, silo.Customers, async (c, s, _) =>
        {
            var results = await silo.Grains.GetGrain<ISubscriptionGrain>(c).ConsumeBatchAsync(commands.Select(x => x with { ShopId = s }).ToArray());
            Array.ForEach(results.ToArray(), Check);
        });
        return [journal, baseline, batches];
    }

    /// <summary>Durable consumes as above, but on a silo whose journal store discards what it is given: the ceiling for any store.</summary>
    public static async Task<BenchmarkResult> RunCeilingAsync(int customers, int callers, long operations)
    {
        await using var silo = await MeteringSilo.StartAsync(customers, TokensEach, new DiscardingJournalStore());
        return await DriveConsumesAsync("consumes, journal store discarding (ceiling)", silo, callers, operations);
    }

    /// <summary>Single consumes of one token through each customer's subscription grain.</summary>
    private static Task<BenchmarkResult> DriveConsumesAsync(string name, MeteringSilo silo, int callers, long operations) =>
        DriveAsync(name, silo, callers, operations, 1, silo.Customers, (c, s, _) =>
            silo.Grains.GetGrain<ISubscriptionGrain>(c).ConsumeAsync(Command(s)).ContinueWith(t => Check(t.Result), TaskScheduler.Default));

    private static ConsumeCommand Command(string shopId) =>
        new(shopId, "key_bench", new TokenAmount(1), "bench", "/v1/chat", "POST", 200, null, null);

    private static void Check(ConsumeResult result)
    {
        if (!result.IsAccepted)
        {
            throw new InvalidOperationException($"a benchmark consume was refused: {result.Outcome}");
        }
    }

    /// <summary>Each caller runs its share of calls one after another over its own customers; bounded by count and 120 s.</summary>
    private static async Task<BenchmarkResult> DriveAsync(
        string name, MeteringSilo silo, int callers, long calls, int eventsPerCall, IReadOnlyList<(string CustomerId, string ShopId)> customers, Func<string, string, int, Task> call)
    {
        var latencies = new LatencyHistogram();
        var clock = Stopwatch.StartNew();
        long completed = 0;
        var perCaller = calls / callers;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (long i = 0; i < perCaller && clock.Elapsed < TimeSpan.FromSeconds(120); i++)
            {
                var (customer, shop) = customers[(int)((caller + (i * callers)) % customers.Count)];
                var started = Stopwatch.GetTimestamp();
                await call(customer, shop, caller);
                latencies.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                Interlocked.Increment(ref completed);
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        return new BenchmarkResult(name, "postgres", callers, customers.Count, completed * eventsPerCall, seconds,
            latencies.PercentileMicroseconds(0.50) / 1000.0, latencies.PercentileMicroseconds(0.99) / 1000.0);
    }
}
