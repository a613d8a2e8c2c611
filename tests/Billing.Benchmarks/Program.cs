using System.Globalization;

// Usage: dotnet run -c Release --project tests/Billing.Benchmarks -- [metering | metering-ceiling | billing-close | reminder-close | console | activation | activation-floor | journal-store | stop-under-load] [--quick] [--json]
// Needs PostgreSQL for the postgres rows (BILLING_TEST_POSTGRES, default the local server).
var quick = args.Contains("--quick");
if (args.Contains("stop-under-load"))
{
    await Billing.Benchmarks.Metering.StopUnderLoadProbe.RunAsync();
    return;
}

if (args.Contains("console"))
{
    // The operator console's pages on 100,000 shops with October invoiced; --quick: 10,000.
    await Billing.Benchmarks.OperatorConsole.ConsoleBenchmark.RunAsync(shops: quick ? 10_000 : 100_000);
    return;
}

if (args.Contains("activation"))
{
    // 100,000 customers and their shops; --quick: 10,000.
    await Billing.Benchmarks.Activation.ActivationBenchmark.RunAsync(customers: quick ? 10_000 : 100_000);
    return;
}

if (args.Contains("activation-floor"))
{
    // Orleans alone: 200,000 activations of a grain that holds nothing; --quick: 20,000.
    await Billing.Benchmarks.Activation.ActivationFloorBenchmark.RunAsync(activations: quick ? 20_000 : 200_000);
    return;
}

if (args.Contains("reminder-close"))
{
    // 100,000 shops with 10 events each, all due at one instant; --quick: 10,000.
    await Billing.Benchmarks.Closing.ReminderCloseBenchmark.RunAsync(shops: quick ? 10_000 : 100_000, eventsPerShop: 10);
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

// The home-made runtime's own benchmarks (grain calls, state writes) went with it; Orleans' grain
// path is measured by the metering runs above (metering-ceiling: the grain path with a discarding journal).
await Console.Error.WriteLineAsync("usage: Billing.Benchmarks [metering | metering-ceiling | billing-close | reminder-close | console | activation | activation-floor | journal-store | stop-under-load] [--quick]");
Environment.ExitCode = 64;
