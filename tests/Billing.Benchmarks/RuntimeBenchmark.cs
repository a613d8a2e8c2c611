using System.Diagnostics;
using Billing.Runtime;
using Billing.Runtime.Metrics;
using Billing.Runtime.Testing;

namespace Billing.Benchmarks;

/// <summary>One measured scenario: a fixed number of operations spread over concurrent callers.</summary>
public sealed record BenchmarkResult(string Name, string Storage, int Callers, int Keys, long Operations, double Seconds, double P50Ms, double P99Ms)
{
    public double OperationsPerSecond => Operations / Seconds;
}

/// <summary>
/// In-process grain calls per second and durable state writes per second on both dialects. Each
/// scenario warms up, then runs a fixed operation count (bounded in time as well) and reports the
/// median of its runs.
/// </summary>
public static class RuntimeBenchmark
{
    public static async Task<BenchmarkResult> GrainCallsAsync(int callers, int keys, long operations, int runs)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = await StartAsync(database);
        await DriveAsync(silo, callers, keys, Math.Min(operations, 50_000), (f, key) => f.GetGrain<IAccumulatorGrain>(key).AddAsync(1));
        return await MedianAsync(runs, () => MeasureAsync("grain calls", "in-memory", silo, callers, keys, operations,
            (f, key) => f.GetGrain<IAccumulatorGrain>(key).AddAsync(1)));
    }

    public static async Task<BenchmarkResult> StateWritesAsync(string storage, int callers, int keys, long operations, int runs)
    {
        await using var database = await TestDatabase.CreateAsync(storage);
        await using var silo = await StartAsync(database);
        await DriveAsync(silo, callers, keys, Math.Min(operations, 500), (f, key) => f.GetGrain<IStoredAccumulatorGrain>(key).AddAsync(1));
        return await MedianAsync(runs, () => MeasureAsync("state writes", storage, silo, callers, keys, operations,
            (f, key) => f.GetGrain<IStoredAccumulatorGrain>(key).AddAsync(1)));
    }

    private static Task<TestSilo> StartAsync(TestDatabase database) =>
        TestSilo.StartAsync(
            database,
            g => g.AddGrain<IAccumulatorGrain, AccumulatorGrain>(r => new AccumulatorGrainProxy(r))
                  .AddGrain<IStoredAccumulatorGrain, StoredAccumulatorGrain>(r => new StoredAccumulatorGrainProxy(r)),
            settings: new Dictionary<string, string?> { ["Billing:Runtime:SiloName"] = "bench" });

    private static async Task<BenchmarkResult> MedianAsync(int runs, Func<Task<BenchmarkResult>> measure)
    {
        var results = new List<BenchmarkResult>();
        for (var run = 0; run < runs; run++)
        {
            results.Add(await measure());
        }

        return results.OrderBy(r => r.OperationsPerSecond).ElementAt(results.Count / 2);
    }

    private static async Task<BenchmarkResult> MeasureAsync(
        string name, string storage, TestSilo silo, int callers, int keys, long operations, Func<IGrainFactory, string, Task<long>> call)
    {
        var latencies = new LatencyHistogram();
        var clock = Stopwatch.StartNew();
        var done = await DriveAsync(silo, callers, keys, operations, call, latencies);
        var seconds = clock.Elapsed.TotalSeconds;
        return new BenchmarkResult(name, storage, callers, keys, done, seconds,
            latencies.PercentileMicroseconds(0.50) / 1000.0, latencies.PercentileMicroseconds(0.99) / 1000.0);
    }

    /// <summary>Each caller awaits its own calls one after another, over its own share of the keys; bounded by count and by 120 s.</summary>
    private static async Task<long> DriveAsync(
        TestSilo silo, int callers, int keys, long operations, Func<IGrainFactory, string, Task<long>> call, LatencyHistogram? latencies = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(120);
        long completed = 0;
        var perCaller = operations / callers;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (long i = 0; i < perCaller && deadline.Elapsed < limit; i++)
            {
                var key = "k" + ((caller + (i * callers)) % keys);
                var started = Stopwatch.GetTimestamp();
                await call(silo.GrainFactory, key);
                latencies?.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                Interlocked.Increment(ref completed);
            }
        })));
        return completed;
    }
}
