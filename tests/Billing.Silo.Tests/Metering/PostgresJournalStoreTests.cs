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
        batch.Add(new(Balance("cus_other", 1), new UsageRecord(             // the same shop's idempotency key again: the unique index refuses it
            Guid.CreateVersion7(), "cus_other", "shop_cus_dup", "key_1", 1, 7, 70_000_000, "EUR", null, null, null, null, 1_763_700_000_004, "idem-1", "hash-1", 990)));

        await Assert.ThrowsAsync<JournalConflictException>(() => new PostgresUsageJournalStore(postgres, copyMinRows: 1).WriteBatchAsync(batch, CancellationToken.None));

        Assert.Equal(0, await ScalarAsync(postgres, "SELECT COUNT(*) FROM usage_events"));
        Assert.Equal(0, await ScalarAsync(postgres, "SELECT COUNT(*) FROM token_grants"));
        Assert.Equal(0, await ScalarAsync(postgres, "SELECT COUNT(*) FROM ledger_heads"));
    }

    [Fact]
    public async Task BatchWhoseCustomerSkipsASeqIsRefusedAsABugAndWritesNothing()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await using var postgres = await MigratedAsync(database);
        var batch = Batch("cus_gap");
        batch.Add(Entry("cus_gap", 6, "after a gap"));                     // seq 5 is missing

        var error = await Assert.ThrowsAsync<Billing.Domain.InvariantViolationException>(() => new PostgresUsageJournalStore(postgres).WriteBatchAsync(batch, CancellationToken.None));

        Assert.Equal("Customer cus_gap's events in one journal batch jump from seq 4 to 6.", error.Message);
        Assert.Equal(0, await ScalarAsync(postgres, "SELECT COUNT(*) FROM usage_events"));
    }

    [Fact]
    public async Task BatchDecidedOnAStaleLedgerIsRefusedEvenWhenItsSeqsAreFree()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        await using var postgres = await MigratedAsync(database);
        var store = new PostgresUsageJournalStore(postgres);
        await store.WriteBatchAsync(Batch("cus_fenced"), CancellationToken.None);  // seqs 1..4: a grant and three usage events

        // Another activation loaded the ledger at seq 3 and grants at seq 4: token_grants has no seq 4,
        // and usage_events' key cannot see token_grants, but the ledger head stands at 4.
        var stale = new JournalEntry(Balance("cus_fenced", 4), grant: new GrantRecord(Guid.CreateVersion7(), "cus_fenced", "plan_1", 4, 1_000, 1_763_700_000_000, 1_763_700_000_000, null, 10_000_000, "EUR"));
        var conflict = await Assert.ThrowsAsync<JournalConflictException>(() => store.WriteBatchAsync([stale], CancellationToken.None));

        Assert.Contains("ck_ledger_heads_fence", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(1, await ScalarAsync(postgres, "SELECT COUNT(*) FROM token_grants WHERE customer_id = 'cus_fenced'"));
        Assert.Equal(4, await ScalarAsync(postgres, "SELECT seq FROM ledger_heads WHERE customer_id = 'cus_fenced'"));
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
