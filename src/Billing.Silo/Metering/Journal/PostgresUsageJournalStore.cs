using Billing.Runtime.Storage.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Billing.Silo.Metering.Journal;

/// <summary>
/// One round trip per batch: the usage events and grants go as one <see cref="NpgsqlBatch"/> of
/// <c>unnest</c> inserts, which PostgreSQL runs as one implicit transaction: all rows or none, one
/// WAL flush. (A COPY would cost extra round trips for its start and end; at group-commit batch
/// sizes the round trips dominate.) Balance snapshots are upserted separately and less often; a
/// snapshot never moves backwards (<c>WHERE seq &lt; excluded.seq</c>).
/// </summary>
public sealed class PostgresUsageJournalStore(PostgresDatabase database) : IUsageJournalStore
{
    private const string InsertUsage = """
        INSERT INTO usage_events (usage_id, customer_id, shop_id, key_id, seq, tokens, cost_nanos, currency, description, endpoint, method, status_code, occurred_at_ms, idempotency_key, request_hash, remaining_after)
        SELECT * FROM unnest(@usage_id, @customer_id, @shop_id, @key_id, @seq, @tokens, @cost_nanos, @currency, @description, @endpoint, @method, @status_code, @occurred_at_ms, @idempotency_key, @request_hash, @remaining_after)
        """;

    private const string InsertGrants = """
        INSERT INTO token_grants (grant_id, customer_id, plan_id, seq, tokens, granted_at_ms, started_at_ms, ends_at_ms, price_per_token_nanos, currency)
        SELECT * FROM unnest(@grant_id, @customer_id, @plan_id, @seq, @tokens, @granted_at_ms, @started_at_ms, @ends_at_ms, @price, @currency)
        """;

    private const string UpsertBalances = $"""
        INSERT INTO subscriptions (customer_id, plan_id, seq, tokens_granted, tokens_remaining, tokens_consumed, started_at_ms, ends_at_ms, is_active, price_per_token_nanos, currency, updated_at_ms)
        SELECT * FROM unnest(@customer_id, @plan_id, @seq, @granted, @remaining, @consumed, @started, @ends, @active, @price, @currency, @updated)
        {JournalBatches.BalanceUpsertConflict}
        """;

    public async Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var statements = new NpgsqlBatch(connection);
        var usage = batch.Select(e => e.Usage).OfType<UsageRecord>().ToList();
        if (usage.Count > 0)
        {
            statements.BatchCommands.Add(UsageCommand(usage));
        }

        var grants = batch.Select(e => e.Grant).OfType<GrantRecord>().ToList();
        if (grants.Count > 0)
        {
            statements.BatchCommands.Add(GrantCommand(grants));
        }

        if (statements.BatchCommands.Count > 0)
        {
            await statements.ExecuteNonQueryAsync(cancellationToken);
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
