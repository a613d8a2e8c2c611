using System.Diagnostics;
using System.Globalization;
using Billing.Benchmarks.Closing;
using Billing.Domain;
using Billing.Silo.Grains;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans.Runtime;

namespace Billing.Benchmarks.Activation;

/// <summary>
/// What a grain activation costs, and what 100,000 customers with their shops weigh in memory.
/// Customers and shops are bulk-loaded with SQL; every customer is granted a plan (so its
/// subscription has a ledger to load), then every grain is deactivated. Then, cold, in steps:
/// each subscription grain activates (reads its balance snapshot and replays the events after it),
/// each shop grain activates and aggregates its open period, and each customer consumes once
/// through a cold subscription and shop. Reports activations/s, database transactions per
/// activation and the process's resident size with all of them active.
/// </summary>
public static class ActivationBenchmark
{
    private const int Callers = 64;
    private static readonly PlanGrant Plan = new("plan_bench", new TokenAmount(1_000_000), Duration.FromDays(30), new Money(10m, Currency.EUR));

    public static async Task RunAsync(int customers)
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await using var silo = await BenchmarkSilo.StartAsync(database, TimeProvider.System);
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        var sql = silo.Services.GetRequiredService<SqlDatabase>();
        var idle = ProcessMemory.Measure();
        await CloseBenchmark.LoadAsync(sql, customers, eventsPerShop: 0, ["Europe/Amsterdam"]);
        await EachAsync(customers, i => grains.Subscription(Customer(i)).GrantAsync(Plan));
        await DeactivateAllAsync(grains);

        Console.WriteLine("| step (cold grains, 64 callers) | calls | calls/s | database transactions per call |");
        Console.WriteLine("|---|---:|---:|---:|");
        await StepAsync("subscription activation (snapshot + replay)", sql, customers, i => grains.Subscription(Customer(i)).GetAsync());
        await StepAsync("shop activation (terms + open period aggregate)", sql, customers, i => grains.Shop(Shop(i)).GetCurrentPeriodAsync());
        var active = ProcessMemory.Measure();
        // BILLING_BENCH_HOLD_SECONDS: stay here with every grain active, for dotnet-gcdump or dotnet-counters.
        if (int.TryParse(Environment.GetEnvironmentVariable("BILLING_BENCH_HOLD_SECONDS"), out var holdSeconds) && holdSeconds is > 0 and <= 600)
        {
            Console.WriteLine($"holding {holdSeconds} s with {2 * customers:N0} activations, pid {Environment.ProcessId}");
            await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
        }

        await DeactivateAllAsync(grains);
        await StepAsync("consume through a cold subscription and shop", sql, customers, i => grains.Subscription(Customer(i)).ConsumeAsync(Consume(i)));

        Console.WriteLine();
        Console.WriteLine($"Customers and their shops ({ProcessMemory.GcMode()})");
        ProcessMemory.PrintTable(2 * customers, idle, active);
        await silo.StopAsync();
    }

    private static async Task StepAsync(string name, SqlDatabase sql, int calls, Func<int, Task> call)
    {
        var before = await TransactionsAsync(sql);
        var timer = Stopwatch.StartNew();
        await EachAsync(calls, call);
        var seconds = timer.Elapsed.TotalSeconds;
        // Less the one transaction this count itself takes.
        var transactions = await TransactionsAsync(sql) - before - 1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {calls:N0} | {calls / seconds:N0} | {transactions / (double)calls:N2} |"));
    }

    private static Task EachAsync(int count, Func<int, Task> call) =>
        Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = Callers }, async (i, _) => await call(i));

    private static async Task DeactivateAllAsync(IGrainFactory grains)
    {
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var management = grains.GetGrain<IManagementGrain>(0);
        for (var attempt = 0; attempt < 120 && await CountActiveAsync(management) > 0; attempt++)
        {
            await Task.Delay(500);
        }
    }

    private static async Task<int> CountActiveAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Contains("ShopGrain", StringComparison.Ordinal) || s.GrainType.Contains("SubscriptionGrain", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);

    private static Task<long> TransactionsAsync(SqlDatabase sql) =>
        sql.ScalarAsync("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");

    private static string Customer(int i) => string.Create(CultureInfo.InvariantCulture, $"cus_{i:D20}");

    private static string Shop(int i) => string.Create(CultureInfo.InvariantCulture, $"shop_{i:D20}");

    private static ConsumeCommand Consume(int i) =>
        new(Shop(i), "key_bench", new TokenAmount(1), "benchmark", "/v1/chat", "POST", 200, IdempotencyKey: null, RequestHash: null);
}
