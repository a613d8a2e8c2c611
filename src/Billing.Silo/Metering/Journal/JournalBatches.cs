using Billing.Domain;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Metering.Journal;

/// <summary>One customer's part of a batch: the head its events were decided on, and the seq they bring it to.</summary>
internal readonly record struct LedgerMove(string CustomerId, long PriorSequence, long Sequence);

internal static class JournalBatches
{
    /// <summary>
    /// How both dialects move a customer's ledger head (<c>ledger_heads</c>, see migration 0002):
    /// only from where the batch's writer had loaded it or before. A head already past that (another
    /// activation of the customer committed meanwhile) stays at <c>prior_seq</c>, which
    /// <c>ck_ledger_heads_fence</c> refuses, so the batch's transaction fails. Normally the head
    /// equals prior_seq; it is behind only after events were written around the journal.
    /// <para>
    /// Why a row per customer per batch and not less: a grant at seq N and a usage event at seq N
    /// live in two tables, and a check of one table from the other's transaction cannot see the other
    /// transaction's uncommitted row (read committed): two such batches both pass and both commit.
    /// Fencing needs one row that both writers write, and that row has to be written by usage-only
    /// batches too, since they cannot know a grant is racing them. One narrow row per customer per
    /// batch (not per event: a usage batch of a thousand events moves it once) on the primary key,
    /// an update that changes no indexed column, sent in the batch's existing round trip.
    /// </para>
    /// </summary>
    public const string LedgerHeadFence = """
        ON CONFLICT (customer_id) DO UPDATE SET
            seq = CASE WHEN ledger_heads.seq <= excluded.prior_seq THEN excluded.seq ELSE excluded.prior_seq END,
            prior_seq = excluded.prior_seq
        """;

    /// <summary>
    /// Each customer's move in the batch, ordered by customer id: two writers lock heads in one
    /// order, so they wait for each other instead of deadlocking. A customer's events in a batch
    /// follow each other without a gap; anything else is a bug upstream, and nothing is written.
    /// </summary>
    public static List<LedgerMove> LedgerMoves(IReadOnlyList<JournalEntry> batch)
    {
        var moves = new Dictionary<string, LedgerMove>(StringComparer.Ordinal);
        foreach (var entry in batch)
        {
            foreach (var usage in entry.Usage)
            {
                Advance(moves, entry.CustomerId, usage.Sequence);
            }

            if (entry.Grant is { } grant)
            {
                Advance(moves, entry.CustomerId, grant.Sequence);
            }
        }

        var ordered = moves.Values.ToList();
        ordered.Sort(static (a, b) => string.CompareOrdinal(a.CustomerId, b.CustomerId));
        return ordered;
    }

    private static void Advance(Dictionary<string, LedgerMove> moves, string customerId, long sequence)
    {
        if (!moves.TryGetValue(customerId, out var move))
        {
            moves[customerId] = new LedgerMove(customerId, sequence - 1, sequence);
            return;
        }

        if (sequence != move.Sequence + 1)
        {
            throw new InvariantViolationException($"Customer {customerId}'s events in one journal batch jump from seq {move.Sequence} to {sequence}.");
        }

        moves[customerId] = move with { Sequence = sequence };
    }

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
