using Billing.Silo.Storage.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Billing.Silo.Metering.Journal;

/// <summary>
/// Group-commit batches as the size calls for. Up to <see cref="CopyMinRows"/> events go in one
/// round trip: an <see cref="NpgsqlBatch"/> of <c>unnest</c> inserts, which PostgreSQL runs as one
/// implicit transaction (all rows or none, one WAL flush). Bigger batches (usage batch API, heavy
/// load) go by binary COPY inside a transaction: a few more round trips, but PostgreSQL inserts
/// COPY rows in multi-row chunks and skips the executor, which at hundreds of rows costs less
/// than the round trips. Every batch first moves its customers' ledger heads
/// (<see cref="JournalBatches.LedgerHeadFence"/>), in its own transaction and its first round trip,
/// so a second activation of a customer cannot commit on top of a state it did not see. Balance snapshots are upserted separately and less often; a snapshot
/// never moves backwards (<c>WHERE seq &lt; excluded.seq</c>).
/// </summary>
public sealed class PostgresUsageJournalStore(PostgresDatabase database, int copyMinRows = PostgresUsageJournalStore.CopyMinRows) : IUsageJournalStore
{
    /// <summary>From this many events a batch is copied rather than inserted (measured with the journal-store probe).</summary>
    public const int CopyMinRows = 256;

    private const string CopyUsage = """
        COPY usage_events (usage_id, customer_id, shop_id, key_id, seq, tokens, cost_nanos, currency, description, endpoint, method, status_code, occurred_at_ms, idempotency_key, request_hash, remaining_after)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string InsertUsage = """
        INSERT INTO usage_events (usage_id, customer_id, shop_id, key_id, seq, tokens, cost_nanos, currency, description, endpoint, method, status_code, occurred_at_ms, idempotency_key, request_hash, remaining_after)
        SELECT * FROM unnest(@usage_id, @customer_id, @shop_id, @key_id, @seq, @tokens, @cost_nanos, @currency, @description, @endpoint, @method, @status_code, @occurred_at_ms, @idempotency_key, @request_hash, @remaining_after)
        """;

    private const string InsertGrants = """
        INSERT INTO token_grants (grant_id, customer_id, plan_id, seq, tokens, granted_at_ms, started_at_ms, ends_at_ms, price_per_token_nanos, currency)
        SELECT * FROM unnest(@grant_id, @customer_id, @plan_id, @seq, @tokens, @granted_at_ms, @started_at_ms, @ends_at_ms, @price, @currency)
        """;

    private const string MoveHeads = $"""
        INSERT INTO ledger_heads (customer_id, seq, prior_seq)
        SELECT * FROM unnest(@customer_id, @seq, @prior_seq)
        {JournalBatches.LedgerHeadFence}
        """;

    private const string UpsertBalances = $"""
        INSERT INTO subscriptions (customer_id, plan_id, seq, tokens_granted, tokens_remaining, tokens_consumed, started_at_ms, ends_at_ms, is_active, price_per_token_nanos, currency, updated_at_ms)
        SELECT * FROM unnest(@customer_id, @plan_id, @seq, @granted, @remaining, @consumed, @started, @ends, @active, @price, @currency, @updated)
        {JournalBatches.BalanceUpsertConflict}
        """;

    public async Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
    {
        var usage = batch.SelectMany(e => e.Usage).ToList();
        var grants = batch.Select(e => e.Grant).OfType<GrantRecord>().ToList();
        var heads = JournalBatches.LedgerMoves(batch);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            if (usage.Count >= copyMinRows)
            {
                await CopyBatchAsync(connection, heads, usage, grants, cancellationToken);
                return;
            }

            await InsertBatchAsync(connection, heads, usage, grants, cancellationToken);
        }
        catch (PostgresException error) when (error.SqlState.StartsWith("23", StringComparison.Ordinal))
        {
            // Class 23, integrity constraint violation: the fence, a seq or an idempotency key taken.
            throw new JournalConflictException($"The batch conflicts with stored rows ({error.TableName}.{error.ConstraintName})", error);
        }
    }

    /// <summary>Heads, usage and grants in one round trip, which PostgreSQL runs as one implicit transaction.</summary>
    private static async Task InsertBatchAsync(
        NpgsqlConnection connection, List<LedgerMove> heads, List<UsageRecord> usage, List<GrantRecord> grants, CancellationToken cancellationToken)
    {
        if (heads.Count == 0)
        {
            return;
        }

        await using var statements = new NpgsqlBatch(connection);
        statements.BatchCommands.Add(HeadCommand(heads));
        if (usage.Count > 0)
        {
            statements.BatchCommands.Add(UsageCommand(usage));
        }

        if (grants.Count > 0)
        {
            statements.BatchCommands.Add(GrantCommand(grants));
        }

        await statements.ExecuteNonQueryAsync(cancellationToken);
    }

    // Heads first, in customer order, as in every batch: the row locks are taken in one order.
    private static async Task CopyBatchAsync(
        NpgsqlConnection connection, List<LedgerMove> heads, List<UsageRecord> usage, List<GrantRecord> grants, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var statements = new NpgsqlBatch(connection, transaction))
        {
            statements.BatchCommands.Add(HeadCommand(heads));
            if (grants.Count > 0)
            {
                statements.BatchCommands.Add(GrantCommand(grants));
            }

            await statements.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(CopyUsage, cancellationToken))
        {
            foreach (var record in usage)
            {
                WriteRow(copy, record);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // Synchronous writes fill Npgsql's buffer and only touch the socket when it is full (a local
    // socket write that does not wait in practice); an awaited call per field would cost more CPU
    // than the COPY saves.
    private static void WriteRow(NpgsqlBinaryImporter copy, UsageRecord r)
    {
        copy.StartRow();
        copy.Write(r.UsageId, NpgsqlDbType.Uuid);
        copy.Write(r.CustomerId, NpgsqlDbType.Text);
        copy.Write(r.ShopId, NpgsqlDbType.Text);
        copy.Write(r.KeyId, NpgsqlDbType.Text);
        copy.Write(r.Sequence, NpgsqlDbType.Bigint);
        copy.Write(r.Tokens, NpgsqlDbType.Bigint);
        copy.Write(r.CostNanos, NpgsqlDbType.Bigint);
        copy.Write(r.Currency, NpgsqlDbType.Text);
        WriteText(copy, r.Description);
        WriteText(copy, r.Endpoint);
        WriteText(copy, r.Method);
        if (r.StatusCode is { } status)
        {
            copy.Write(status, NpgsqlDbType.Integer);
        }
        else
        {
            copy.WriteNull();
        }

        copy.Write(r.OccurredAtMs, NpgsqlDbType.Bigint);
        WriteText(copy, r.IdempotencyKey);
        WriteText(copy, r.RequestHash);
        copy.Write(r.RemainingAfter, NpgsqlDbType.Bigint);
    }

    private static void WriteText(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Text);
        }
    }

    public async Task WriteBalancesAsync(IReadOnlyList<BalanceRecord> balances, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var statements = new NpgsqlBatch(connection);
        statements.BatchCommands.Add(BalanceCommand(balances));
        await statements.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand UsageCommand(List<UsageRecord> u) => Command(
        InsertUsage,
        Array("usage_id", NpgsqlDbType.Uuid, u.Select(r => r.UsageId)),
        Array("customer_id", NpgsqlDbType.Text, u.Select(r => r.CustomerId)),
        Array("shop_id", NpgsqlDbType.Text, u.Select(r => r.ShopId)),
        Array("key_id", NpgsqlDbType.Text, u.Select(r => r.KeyId)),
        Array("seq", NpgsqlDbType.Bigint, u.Select(r => r.Sequence)),
        Array("tokens", NpgsqlDbType.Bigint, u.Select(r => r.Tokens)),
        Array("cost_nanos", NpgsqlDbType.Bigint, u.Select(r => r.CostNanos)),
        Array("currency", NpgsqlDbType.Text, u.Select(r => r.Currency)),
        Array("description", NpgsqlDbType.Text, u.Select(r => r.Description)),
        Array("endpoint", NpgsqlDbType.Text, u.Select(r => r.Endpoint)),
        Array("method", NpgsqlDbType.Text, u.Select(r => r.Method)),
        Array("status_code", NpgsqlDbType.Integer, u.Select(r => r.StatusCode)),
        Array("occurred_at_ms", NpgsqlDbType.Bigint, u.Select(r => r.OccurredAtMs)),
        Array("idempotency_key", NpgsqlDbType.Text, u.Select(r => r.IdempotencyKey)),
        Array("request_hash", NpgsqlDbType.Text, u.Select(r => r.RequestHash)),
        Array("remaining_after", NpgsqlDbType.Bigint, u.Select(r => r.RemainingAfter)));

    private static NpgsqlBatchCommand HeadCommand(List<LedgerMove> h) => Command(
        MoveHeads,
        Array("customer_id", NpgsqlDbType.Text, h.Select(m => m.CustomerId)),
        Array("seq", NpgsqlDbType.Bigint, h.Select(m => m.Sequence)),
        Array("prior_seq", NpgsqlDbType.Bigint, h.Select(m => m.PriorSequence)));

    private static NpgsqlBatchCommand GrantCommand(List<GrantRecord> g) => Command(
        InsertGrants,
        Array("grant_id", NpgsqlDbType.Uuid, g.Select(r => r.GrantId)),
        Array("customer_id", NpgsqlDbType.Text, g.Select(r => r.CustomerId)),
        Array("plan_id", NpgsqlDbType.Text, g.Select(r => r.PlanId)),
        Array("seq", NpgsqlDbType.Bigint, g.Select(r => r.Sequence)),
        Array("tokens", NpgsqlDbType.Bigint, g.Select(r => r.Tokens)),
        Array("granted_at_ms", NpgsqlDbType.Bigint, g.Select(r => r.GrantedAtMs)),
        Array("started_at_ms", NpgsqlDbType.Bigint, g.Select(r => r.StartedAtMs)),
        Array("ends_at_ms", NpgsqlDbType.Bigint, g.Select(r => r.EndsAtMs)),
        Array("price", NpgsqlDbType.Bigint, g.Select(r => r.PricePerTokenNanos)),
        Array("currency", NpgsqlDbType.Text, g.Select(r => r.Currency)));

    private static NpgsqlBatchCommand BalanceCommand(IReadOnlyList<BalanceRecord> b) => Command(
        UpsertBalances,
        Array("customer_id", NpgsqlDbType.Text, b.Select(r => r.CustomerId)),
        Array("plan_id", NpgsqlDbType.Text, b.Select(r => r.PlanId)),
        Array("seq", NpgsqlDbType.Bigint, b.Select(r => r.Sequence)),
        Array("granted", NpgsqlDbType.Bigint, b.Select(r => r.Granted)),
        Array("remaining", NpgsqlDbType.Bigint, b.Select(r => r.Remaining)),
        Array("consumed", NpgsqlDbType.Bigint, b.Select(r => r.Consumed)),
        Array("started", NpgsqlDbType.Bigint, b.Select(r => r.StartedAtMs)),
        Array("ends", NpgsqlDbType.Bigint, b.Select(r => r.EndsAtMs)),
        Array("active", NpgsqlDbType.Boolean, b.Select(r => r.IsActive)),
        Array("price", NpgsqlDbType.Bigint, b.Select(r => r.PricePerTokenNanos)),
        Array("currency", NpgsqlDbType.Text, b.Select(r => r.Currency)),
        Array("updated", NpgsqlDbType.Bigint, b.Select(r => r.UpdatedAtMs)));

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };
}
