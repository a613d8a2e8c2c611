using Npgsql;

namespace Billing.Benchmarks.Metering;

/// <summary>
/// The design the usage journal is measured against: every consume is its own transaction on its
/// own pooled connection — a conditional balance update and an event insert, committed (one fsync)
/// before the answer. Concurrent callers still share PostgreSQL's own WAL flushes, so this is the
/// honest version of "one transaction per request", not a strawman serialised behind one writer.
/// </summary>
public sealed class PerRequestTransactionConsumer(NpgsqlDataSource dataSource)
{
    private const string Deduct = """
        UPDATE subscriptions
        SET tokens_remaining = tokens_remaining - @tokens, tokens_consumed = tokens_consumed + @tokens, seq = seq + 1, updated_at_ms = @now_ms
        WHERE customer_id = @customer AND is_active AND tokens_remaining >= @tokens
        RETURNING seq, tokens_remaining
        """;

    private const string Record = """
        INSERT INTO usage_events (usage_id, customer_id, shop_id, key_id, seq, tokens, cost_nanos, currency, occurred_at_ms, remaining_after)
        VALUES (@usage_id, @customer, @shop, @key, @seq, @tokens, 0, 'EUR', @now_ms, @remaining)
        """;

    /// <summary>Returns the remaining balance, or null when the balance did not suffice (nothing written).</summary>
    public async Task<long?> ConsumeAsync(string customerId, string shopId, long tokens, CancellationToken cancellationToken)
    {
        var nowMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var deduct = new NpgsqlCommand(Deduct, connection, transaction);
        deduct.Parameters.AddWithValue("tokens", tokens);
        deduct.Parameters.AddWithValue("customer", customerId);
        deduct.Parameters.AddWithValue("now_ms", nowMs);
        long seq, remaining;
        await using (var reader = await deduct.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (seq, remaining) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        await using var record = new NpgsqlCommand(Record, connection, transaction);
        record.Parameters.AddWithValue("usage_id", Guid.CreateVersion7());
        record.Parameters.AddWithValue("customer", customerId);
        record.Parameters.AddWithValue("shop", shopId);
        record.Parameters.AddWithValue("key", "key_bench");
        record.Parameters.AddWithValue("seq", seq);
        record.Parameters.AddWithValue("tokens", tokens);
        record.Parameters.AddWithValue("now_ms", nowMs);
        record.Parameters.AddWithValue("remaining", remaining);
        await record.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return remaining;
    }
}
