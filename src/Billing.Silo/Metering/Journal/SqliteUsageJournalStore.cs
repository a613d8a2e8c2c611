using System.Data.Common;
using Billing.Silo.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Billing.Silo.Metering.Journal;

/// <summary>
/// One SQLite transaction per batch of events (and per flush of snapshots), statements prepared
/// once and re-bound per row. A batch moves its customers' ledger heads first
/// (<see cref="JournalBatches.LedgerHeadFence"/>): SQLite has one writer at a time, so another
/// process's activation of the same customer committed either wholly before or wholly after.
/// </summary>
public sealed class SqliteUsageJournalStore(SqliteDatabase database) : IUsageJournalStore
{
    private const int SqliteConstraint = 19; // SQLITE_CONSTRAINT: the fence, a seq or an idempotency key taken

    private const string InsertUsage = """
        INSERT INTO usage_events (usage_id, customer_id, shop_id, key_id, seq, tokens, cost_nanos, currency, description, endpoint, method, status_code, occurred_at_ms, idempotency_key, request_hash, remaining_after)
        VALUES (@usage_id, @customer_id, @shop_id, @key_id, @seq, @tokens, @cost_nanos, @currency, @description, @endpoint, @method, @status_code, @occurred_at_ms, @idempotency_key, @request_hash, @remaining_after)
        """;

    private const string InsertGrant = """
        INSERT INTO token_grants (grant_id, customer_id, plan_id, seq, tokens, granted_at_ms, started_at_ms, ends_at_ms, price_per_token_nanos, currency)
        VALUES (@grant_id, @customer_id, @plan_id, @seq, @tokens, @granted_at_ms, @started_at_ms, @ends_at_ms, @price, @currency)
        """;

    private const string MoveHead = $"""
        INSERT INTO ledger_heads (customer_id, seq, prior_seq) VALUES (@customer_id, @seq, @prior_seq)
        {JournalBatches.LedgerHeadFence}
        """;

    private const string UpsertBalance = $"""
        INSERT INTO subscriptions (customer_id, plan_id, seq, tokens_granted, tokens_remaining, tokens_consumed, started_at_ms, ends_at_ms, is_active, price_per_token_nanos, currency, updated_at_ms)
        VALUES (@customer_id, @plan_id, @seq, @granted, @remaining, @consumed, @started, @ends, @active, @price, @currency, @updated)
        {JournalBatches.BalanceUpsertConflict}
        """;

    public async Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
    {
        var heads = JournalBatches.LedgerMoves(batch);
        try
        {
            await WriteEventsAsync(batch, heads, cancellationToken);
        }
        catch (SqliteException error) when (error.SqliteErrorCode == SqliteConstraint)
        {
            throw new JournalConflictException($"The batch conflicts with stored rows ({error.Message})", error);
        }
    }

    private Task WriteEventsAsync(IReadOnlyList<JournalEntry> batch, List<LedgerMove> heads, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await InsertEachAsync(connection, transaction, MoveHead, heads, BindHead, ct);
                await InsertEachAsync(connection, transaction, InsertUsage, batch.SelectMany(e => e.Usage), BindUsage, ct);
                await InsertEachAsync(connection, transaction, InsertGrant, batch.Select(e => e.Grant).OfType<GrantRecord>(), BindGrant, ct);
                await transaction.CommitAsync(ct);
                return batch.Count;
            },
            cancellationToken);

    public Task WriteBalancesAsync(IReadOnlyList<BalanceRecord> balances, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await InsertEachAsync(connection, transaction, UpsertBalance, balances, BindBalance, ct);
                await transaction.CommitAsync(ct);
                return balances.Count;
            },
            cancellationToken);

    private static async Task InsertEachAsync<T>(DbConnection connection, DbTransaction transaction, string sql, IEnumerable<T> rows, Action<DbCommand, T> bind, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(sql, transaction);
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            bind(command, row);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static void BindUsage(DbCommand c, UsageRecord u) =>
        c.With("usage_id", u.UsageId.ToString()).With("customer_id", u.CustomerId).With("shop_id", u.ShopId).With("key_id", u.KeyId)
         .With("seq", u.Sequence).With("tokens", u.Tokens).With("cost_nanos", u.CostNanos).With("currency", u.Currency)
         .With("description", u.Description).With("endpoint", u.Endpoint).With("method", u.Method).With("status_code", u.StatusCode)
         .With("occurred_at_ms", u.OccurredAtMs).With("idempotency_key", u.IdempotencyKey).With("request_hash", u.RequestHash)
         .With("remaining_after", u.RemainingAfter);

    private static void BindHead(DbCommand c, LedgerMove m) =>
        c.With("customer_id", m.CustomerId).With("seq", m.Sequence).With("prior_seq", m.PriorSequence);

    private static void BindGrant(DbCommand c, GrantRecord g) =>
        c.With("grant_id", g.GrantId.ToString()).With("customer_id", g.CustomerId).With("plan_id", g.PlanId).With("seq", g.Sequence)
         .With("tokens", g.Tokens).With("granted_at_ms", g.GrantedAtMs).With("started_at_ms", g.StartedAtMs).With("ends_at_ms", g.EndsAtMs)
         .With("price", g.PricePerTokenNanos).With("currency", g.Currency);

    private static void BindBalance(DbCommand c, BalanceRecord b) =>
        c.With("customer_id", b.CustomerId).With("plan_id", b.PlanId).With("seq", b.Sequence).With("granted", b.Granted)
         .With("remaining", b.Remaining).With("consumed", b.Consumed).With("started", b.StartedAtMs).With("ends", b.EndsAtMs)
         .With("active", b.IsActive ? 1 : 0).With("price", b.PricePerTokenNanos).With("currency", b.Currency).With("updated", b.UpdatedAtMs);
}
