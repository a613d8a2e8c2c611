using System.Diagnostics;
using Billing.Silo.Metering.Journal;
using Billing.Silo.Storage.Sql;
using Billing.Testing;

namespace Billing.Benchmarks.Metering;

/// <summary>The PostgreSQL journal store alone: fixed-size batches from concurrent writers, no grains, no dispatcher.</summary>
public static class JournalStoreProbe
{
    public static async Task RunAsync(int writers, int batchSize, int batchesPerWriter, bool copy)
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await using var postgres = new PostgresDatabase(database.ConnectionString + ";Maximum Pool Size=32");
        await new SchemaMigrator(postgres, [new EmbeddedMigrationSource(typeof(UsageJournal).Assembly, "metering", "Migrations.Metering")], TimeProvider.System)
            .MigrateAsync(CancellationToken.None);
        var store = new PostgresUsageJournalStore(postgres, copy ? PostgresUsageJournalStore.CopyMinRows : int.MaxValue);
        var latency = new LatencyHistogram();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < batchesPerWriter; b++)
            {
                // Each customer's events follow each other, batch after batch, as the ledger-head fence requires.
                var batch = Enumerable.Range(0, batchSize).Select(i => Entry($"cus_{w}_{i}", b + 1)).ToList();
                var started = Stopwatch.GetTimestamp();
                await store.WriteBatchAsync(batch, CancellationToken.None);
                latency.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
        })));
        var rows = (double)writers * batchSize * batchesPerWriter;
        Console.WriteLine($"store: {writers} writers x {batchSize} rows by {(copy ? "COPY" : "unnest")}: {rows / clock.Elapsed.TotalSeconds:N0} rows/s, commit p50 {latency.PercentileMicroseconds(0.5) / 1000.0:0.###} ms p99 {latency.PercentileMicroseconds(0.99) / 1000.0:0.###} ms");
    }

    private static JournalEntry Entry(string customer, long sequence)
    {
        var usage = new UsageRecord(Guid.CreateVersion7(), customer, "shop_" + customer, "key_1", sequence, 1, 10_000_000, "EUR", "bench", "/v1/chat", "POST", 200, 1_763_700_000_000, null, null, 1_000);
        return new JournalEntry(new BalanceRecord(customer, "plan", sequence, 1_000_000, 999_000, 1_000, 0, null, true, 10_000_000, "EUR", 1_763_700_000_000), usage);
    }
}
