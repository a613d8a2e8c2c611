using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Metering.Journal;

internal static class JournalBatches
{
    /// <summary>How both dialects upsert a balance snapshot: it replaces an older one, never a newer one.</summary>
    public const string BalanceUpsertConflict = """
        ON CONFLICT (customer_id) DO UPDATE SET
            plan_id = excluded.plan_id, seq = excluded.seq, tokens_granted = excluded.tokens_granted,
            tokens_remaining = excluded.tokens_remaining, tokens_consumed = excluded.tokens_consumed,
            started_at_ms = excluded.started_at_ms, ends_at_ms = excluded.ends_at_ms, is_active = excluded.is_active,
            price_per_token_nanos = excluded.price_per_token_nanos, currency = excluded.currency, updated_at_ms = excluded.updated_at_ms
        WHERE subscriptions.seq < excluded.seq
        """;
}

/// <summary>The journal store for the silo's database dialect.</summary>
public static class UsageJournalStores
{
    public static IUsageJournalStore For(SqlDatabase database) => database switch
    {
        PostgresDatabase postgres => new PostgresUsageJournalStore(postgres),
        SqliteDatabase sqlite => new SqliteUsageJournalStore(sqlite),
        _ => throw new InvalidOperationException($"No usage journal store for {database.DialectName}."),
    };
}
