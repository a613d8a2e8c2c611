using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Billing.Silo.Metering.Journal;

namespace Billing.Silo.Tests.Metering;

/// <summary>The PostgreSQL journal store's two ways of writing a batch (unnest insert, binary COPY) store the same rows, all or none.</summary>
public sealed class PostgresJournalStoreTests
{
    private const string Columns =
        "usage_id, customer_id, shop_id, key_id, seq, tokens, cost_nanos, currency, description, endpoint, method, status_code, occurred_at_ms, idempotency_key, request_hash, remaining_after";

    [Fact]
    public async Task CopiedBatchStoresExactlyTheRowsAnInsertedBatchStores()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await using var postgres = await MigratedAsync(database);

        await new PostgresUsageJournalStore(postgres, copyMinRows: int.MaxValue).WriteBatchAsync(Batch("cus_inserted"), CancellationToken.None);
        await new PostgresUsageJournalStore(postgres, copyMinRows: 1).WriteBatchAsync(Batch("cus_copied"), CancellationToken.None);

        var inserted = await RowsAsync(postgres, "cus_inserted");
        Assert.Equal(3, inserted.Count);
        Assert.Equal(inserted, (await RowsAsync(postgres, "cus_copied")).Select(r => r.Replace("cus_copied", "cus_inserted", StringComparison.Ordinal)).ToList());
        Assert.Equal(1, await ScalarAsync(postgres, "SELECT COUNT(*) FROM token_grants WHERE customer_id = 'cus_copied'"));
    }

    [Fact]
    public async Task CopiedBatchThatBreaksAKeyWritesNothing()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await using var postgres = await MigratedAsync(database);
        var batch = Batch("cus_dup");
        batch.Add(Entry("cus_dup", 2, "again"));                           // seq 2 twice: the primary key refuses it

        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => new PostgresUsageJournalStore(postgres, copyMinRows: 1).WriteBatchAsync(batch, CancellationToken.None));

        Assert.Equal(0, await ScalarAsync(postgres, "SELECT COUNT(*) FROM usage_events"));
        Assert.Equal(0, await ScalarAsync(postgres, "SELECT COUNT(*) FROM token_grants"));
    }

    private static List<JournalEntry> Batch(string customer) =>
    [
        new(Balance(customer, 1), grant: new GrantRecord(Guid.CreateVersion7(), customer, "plan_1", 1, 1_000, 1_763_700_000_000, 1_763_700_000_000, null, 10_000_000, "EUR")),
        Entry(customer, 2, null),
        Entry(customer, 3, "chat"),
        new(Balance(customer, 4), new UsageRecord(
            Guid.CreateVersion7(), customer, "shop_" + customer, "key_1", 4, 7, 70_000_000, "EUR", null, null, null, null, 1_763_700_000_004, "idem-1", "hash-1", 990)),
    ];

    private static JournalEntry Entry(string customer, long sequence, string? description) => new(
        Balance(customer, sequence),
        new UsageRecord(Guid.CreateVersion7(), customer, "shop_" + customer, "key_1", sequence, 1, 10_000_000, "EUR", description, "/v1/chat", "POST", 200, 1_763_700_000_000 + sequence, null, null, 1_000 - sequence));

    private static BalanceRecord Balance(string customer, long sequence) =>
        new(customer, "plan_1", sequence, 1_000, 1_000 - sequence, sequence, 0, null, true, 10_000_000, "EUR", 1_763_700_000_000);

    private static async Task<PostgresDatabase> MigratedAsync(TestDatabase database)
    {
        var postgres = new PostgresDatabase(database.ConnectionString);
        await new SchemaMigrator(postgres, [new EmbeddedMigrationSource(typeof(UsageJournal).Assembly, "metering", "Migrations.Metering")], TimeProvider.System)
            .MigrateAsync(CancellationToken.None);
        return postgres;
    }

    private static Task<List<string>> RowsAsync(PostgresDatabase postgres, string customer) =>
        postgres.ReadAsync(
            async (connection, ct) =>
            {
                // usage_id differs by generation; every other column must match.
                await using var command = connection.CreateCommand($"SELECT {Columns.Replace("usage_id, ", "", StringComparison.Ordinal)} FROM usage_events WHERE customer_id = @customer ORDER BY seq")
                    .With("customer", customer);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = new List<string>();
                while (await reader.ReadAsync(ct))
                {
                    rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
                }

                return rows;
            },
            CancellationToken.None);

    private static Task<long> ScalarAsync(PostgresDatabase postgres, string sql) =>
        postgres.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(sql);
                return await command.ScalarInt64Async(ct) ?? 0;
            },
            CancellationToken.None);
}
