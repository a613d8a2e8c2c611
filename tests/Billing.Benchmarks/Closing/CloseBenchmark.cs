using System.Diagnostics;
using System.Globalization;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Billing.Silo.Invoicing.Runs;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Billing.Benchmarks.Closing;

/// <summary>
/// Closes and invoices one month for many shops through a billing run of the real silo on a
/// throwaway PostgreSQL database: each shop's grain activates, aggregates its events, prices the
/// period and commits period, next period, number and invoice in one transaction, then registers
/// its next reminder. Shops, customers and usage are bulk-loaded with SQL first (not timed).
/// </summary>
public static class CloseBenchmark
{
    internal static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task RunAsync(int shops, int eventsPerShop, int parallelShops)
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        // Past October's end (and its hour of grace) in every zone of the load, New York's being the last.
        var clock = new ManualTimeProvider(October.AddMonths(1).AddHours(6));
        await using var app = await BenchmarkSilo.StartAsync(database, clock, new Dictionary<string, string?>
        {
            ["Billing:Runs:MaxParallelShops"] = parallelShops.ToString(CultureInfo.InvariantCulture),
        });

        var load = Stopwatch.StartNew();
        await LoadAsync(app.Services.GetRequiredService<SqlDatabase>(), shops, eventsPerShop, FourZones);
        Console.WriteLine($"loaded {shops:N0} shops and {shops * (long)eventsPerShop:N0} usage events in {load.Elapsed.TotalSeconds:N1} s");

        var runner = app.Services.GetRequiredService<BillingRunner>();
        var timer = Stopwatch.StartNew();
        var run = runner.Start(new RunRequest(null, new YearMonth(2026, 10), DryRun: false, RunTrigger.Api));
        while (!run.Completion.Task.IsCompleted)
        {
            await Task.WhenAny(run.Completion.Task, Task.Delay(5_000));
            var progress = run.Snapshot(withResults: false);
            Console.WriteLine($"  {progress.ShopsProcessed:N0}/{progress.ShopsTotal:N0} shops, {timer.Elapsed.TotalSeconds:N0} s");
        }

        var result = run.Snapshot(withResults: false);
        var seconds = timer.Elapsed.TotalSeconds;
        Console.WriteLine("| shops | events per shop | parallel shops | invoices issued | failed | seconds | shops/s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {shops:N0} | {eventsPerShop} | {parallelShops} | {result.InvoicesIssued:N0} | {result.Failed:N0} | {seconds:N1} | {shops / seconds:N0} |"));
        await app.StopAsync();
    }

    private static readonly string[] FourZones = ["UTC", "Europe/Amsterdam", "America/New_York", "Asia/Tokyo"];

    /// <summary>Customers spread over <paramref name="zones"/>, one shop each created on 2 October, and their October usage.</summary>
    internal static Task LoadAsync(SqlDatabase database, int shops, int eventsPerShop, string[] zones)
    {
        var createdMs = October.ToUnixTimeMilliseconds();
        return database.ExecuteAllAsync(
        [
            $"""
            INSERT INTO customers (id, name, email, currency, time_zone, vat_rate_bp, created_at_ms)
            SELECT 'cus_' || lpad(i::text, 20, '0'), 'Customer ' || i, 'c' || i || '@example.com', 'EUR',
                   (ARRAY['{string.Join("', '", zones)}'])[1 + i % {zones.Length}], 2100, {createdMs}
            FROM generate_series(1, {shops}) AS i
            """,
            $"""
            INSERT INTO shops (id, customer_id, name, created_at_ms)
            SELECT 'shop_' || lpad(i::text, 20, '0'), 'cus_' || lpad(i::text, 20, '0'), 'Shop ' || i, {createdMs + 86_400_000}
            FROM generate_series(1, {shops}) AS i
            """,
            $"""
            INSERT INTO usage_events (usage_id, customer_id, shop_id, key_id, seq, tokens, cost_nanos, currency, endpoint, status_code, occurred_at_ms, remaining_after)
            SELECT gen_random_uuid(), 'cus_' || lpad(i::text, 20, '0'), 'shop_' || lpad(i::text, 20, '0'), 'key_bench', e, 1, 10000000, 'EUR',
                   CASE WHEN e % 3 = 0 THEN '/v1/search' ELSE '/v1/chat' END, 200, {createdMs + 2 * 86_400_000} + e * 60000, 1000000 - e
            FROM generate_series(1, {shops}) AS i, generate_series(1, {eventsPerShop}) AS e
            """,
            "ANALYZE",
        ]);
    }
}
