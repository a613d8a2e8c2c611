using System.Globalization;
using System.Text.Json;
using Billing.Benchmarks;

// Usage: dotnet run -c Release --project tests/Billing.Benchmarks -- [metering | metering-ceiling | billing-close | journal-store | stop-under-load] [--quick] [--json]
// Needs PostgreSQL for the postgres rows (BILLING_TEST_POSTGRES, default the local server).
var quick = args.Contains("--quick");
if (args.Contains("stop-under-load"))
{
    await Billing.Benchmarks.Metering.StopUnderLoadProbe.RunAsync();
    return;
}

if (args.Contains("billing-close"))
{
    // 100,000 shops with 10 events each; --quick: 10,000.
    await Billing.Benchmarks.Closing.CloseBenchmark.RunAsync(shops: quick ? 10_000 : 100_000, eventsPerShop: 10, parallelShops: 16);
    return;
}

if (args.Contains("journal-store"))
{
    foreach (var (writers, size) in new[] { (1, 20), (4, 20), (4, 64), (4, 256), (4, 500), (4, 1000) })
    {
        // Sizes from the COPY threshold up run twice: by unnest insert, then by COPY.
        var ways = size >= Billing.Silo.Metering.Journal.PostgresUsageJournalStore.CopyMinRows ? new[] { false, true } : [false];
        foreach (var copy in ways)
        {
            await Billing.Benchmarks.Metering.JournalStoreProbe.RunAsync(writers, size, batchesPerWriter: size >= 500 ? 50 : 300, copy);
        }
    }

    return;
}

if (args.Contains("metering") || args.Contains("metering-ceiling"))
{
    var metering = args.Contains("metering-ceiling")
        ? [await Billing.Benchmarks.Metering.MeteringBenchmark.RunCeilingAsync(customers: 1_000, callers: 64, operations: quick ? 200_000 : 1_000_000)]
        : await Billing.Benchmarks.Metering.MeteringBenchmark.RunAsync(customers: 1_000, callers: 64, operations: quick ? 100_000 : 500_000, batchCalls: quick ? 100 : 500);
    Console.WriteLine("| scenario (PostgreSQL, in process) | callers | events | events/s | p50 ms per call | p99 ms per call |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var r in metering)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Callers} | {r.Operations:N0} | {r.OperationsPerSecond:N0} | {r.P50Ms:0.###} | {r.P99Ms:0.###} |"));
    }

    return;
}

var json = args.Contains("--json");
var runs = quick ? 1 : 3;
var results = new List<BenchmarkResult>
{
    await RuntimeBenchmark.GrainCallsAsync(callers: 64, keys: 1_000, operations: quick ? 200_000 : 2_000_000, runs),
    await RuntimeBenchmark.GrainCallsAsync(callers: 64, keys: 1, operations: quick ? 100_000 : 1_000_000, runs),
    await RuntimeBenchmark.StateWritesAsync("sqlite", callers: 64, keys: 64, operations: quick ? 2_000 : 20_000, runs),
    await RuntimeBenchmark.StateWritesAsync("postgres", callers: 64, keys: 64, operations: quick ? 5_000 : 50_000, runs),
};

if (json)
{
    Console.WriteLine(JsonSerializer.Serialize(results.Select(r => new { r.Name, r.Storage, r.Callers, r.Keys, r.Operations, r.Seconds, r.OperationsPerSecond, r.P50Ms, r.P99Ms })));
    return;
}

Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, median of {runs} run(s)");
Console.WriteLine("| scenario | storage | callers | keys | operations | ops/s | p50 ms | p99 ms |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Name} | {r.Storage} | {r.Callers} | {r.Keys:N0} | {r.Operations:N0} | {r.OperationsPerSecond:N0} | {r.P50Ms:0.###} | {r.P99Ms:0.###} |"));
}
