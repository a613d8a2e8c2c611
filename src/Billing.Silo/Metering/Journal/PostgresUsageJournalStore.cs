using Billing.Runtime.Storage.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Billing.Silo.Metering.Journal;

/// <summary>
/// One transaction per batch: usage events and grants by binary COPY, then one upsert of the
/// newest balance per customer through <c>unnest</c>. A snapshot never moves backwards
/// (<c>WHERE seq &lt; excluded.seq</c>).
/// </summary>
public sealed class PostgresUsageJournalStore(PostgresDatabase database) : IUsageJournalStore
{
    private const string CopyUsage =
        "COPY usage_events (usage_id, customer_id, shop_id, key_id, seq, tokens, cost_nanos, currency, description, endpoint, method, status_code, occurred_at_ms, idempotency_key, request_hash, remaining_after) FROM STDIN (FORMAT BINARY)";

    private const string CopyGrants =
        "COPY token_grants (grant_id, customer_id, plan_id, seq, tokens, granted_at_ms, ends_at_ms) FROM STDIN (FORMAT BINARY)";

    private const string UpsertBalances = """
        INSERT INTO subscriptions (customer_id, plan_id, seq, tokens_granted, tokens_remaining, tokens_consumed, started_at_ms, ends_at_ms, is_active, price_per_token_nanos, currency, updated_at_ms)
        SELECT * FROM unnest(@customer_id, @plan_id, @seq, @granted, @remaining, @consumed, @started, @ends, @active, @price, @currency, @updated)
        ON CONFLICT (customer_id) DO UPDATE SET
            plan_id = excluded.plan_id, seq = excluded.seq, tokens_granted = excluded.tokens_granted,
            tokens_remaining = excluded.tokens_remaining, tokens_consumed = excluded.tokens_consumed,
            started_at_ms = excluded.started_at_ms, ends_at_ms = excluded.ends_at_ms, is_active = excluded.is_active,
            price_per_token_nanos = excluded.price_per_token_nanos, currency = excluded.currency, updated_at_ms = excluded.updated_at_ms
        WHERE subscriptions.seq < excluded.seq
        """;

    public async Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CopyUsageAsync(connection, batch, cancellationToken);
        await CopyGrantsAsync(connection, batch, cancellationToken);
        await UpsertBalancesAsync(connection, transaction, JournalBatches.NewestBalances(batch), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task CopyUsageAsync(NpgsqlConnection connection, IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
    {
        if (!batch.Any(e => e.Usage is not null))
        {
            return;
        }

        await using var importer = await connection.BeginBinaryImportAsync(CopyUsage, cancellationToken);
        foreach (var usage in batch.Select(e => e.Usage).OfType<UsageRecord>())
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(usage.UsageId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(usage.CustomerId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(usage.ShopId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(usage.KeyId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(usage.Sequence, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(usage.Tokens, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(usage.CostNanos, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(usage.Currency, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, usage.Description, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, usage.Endpoint, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, usage.Method, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, usage.StatusCode, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(usage.OccurredAtMs, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(importer, usage.IdempotencyKey, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, usage.RequestHash, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(usage.RemainingAfter, NpgsqlDbType.Bigint, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task CopyGrantsAsync(NpgsqlConnection connection, IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
    {
        if (!batch.Any(e => e.Grant is not null))
        {
            return;
        }

        await using var importer = await connection.BeginBinaryImportAsync(CopyGrants, cancellationToken);
        foreach (var grant in batch.Select(e => e.Grant).OfType<GrantRecord>())
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(grant.GrantId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(grant.CustomerId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(grant.PlanId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(grant.Sequence, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(grant.Tokens, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(grant.GrantedAtMs, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(importer, grant.EndsAtMs, NpgsqlDbType.Bigint, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task UpsertBalancesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<BalanceRecord> balances, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpsertBalances, connection, transaction);
        command.Parameters.Add(Array("customer_id", NpgsqlDbType.Text, balances.Select(b => b.CustomerId)));
        command.Parameters.Add(Array("plan_id", NpgsqlDbType.Text, balances.Select(b => b.PlanId)));
        command.Parameters.Add(Array("seq", NpgsqlDbType.Bigint, balances.Select(b => b.Sequence)));
        command.Parameters.Add(Array("granted", NpgsqlDbType.Bigint, balances.Select(b => b.Granted)));
        command.Parameters.Add(Array("remaining", NpgsqlDbType.Bigint, balances.Select(b => b.Remaining)));
        command.Parameters.Add(Array("consumed", NpgsqlDbType.Bigint, balances.Select(b => b.Consumed)));
        command.Parameters.Add(Array("started", NpgsqlDbType.Bigint, balances.Select(b => b.StartedAtMs)));
        command.Parameters.Add(Array("ends", NpgsqlDbType.Bigint, balances.Select(b => b.EndsAtMs)));
        command.Parameters.Add(Array("active", NpgsqlDbType.Boolean, balances.Select(b => b.IsActive)));
        command.Parameters.Add(Array("price", NpgsqlDbType.Bigint, balances.Select(b => b.PricePerTokenNanos)));
        command.Parameters.Add(Array("currency", NpgsqlDbType.Text, balances.Select(b => b.Currency)));
        command.Parameters.Add(Array("updated", NpgsqlDbType.Bigint, balances.Select(b => b.UpdatedAtMs)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);
}
