namespace Billing.Silo.Metering.Journal;

/// <summary>One accepted consumption, as stored in <c>usage_events</c>.</summary>
[GenerateSerializer, Immutable, Alias("billing.UsageRecord")]
public sealed record UsageRecord(
    [property: Id(0)] Guid UsageId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string ShopId,
    [property: Id(3)] string KeyId,
    [property: Id(4)] long Sequence,
    [property: Id(5)] long Tokens,
    [property: Id(6)] long CostNanos,
    [property: Id(7)] string Currency,
    [property: Id(8)] string? Description,
    [property: Id(9)] string? Endpoint,
    [property: Id(10)] string? Method,
    [property: Id(11)] int? StatusCode,
    [property: Id(12)] long OccurredAtMs,
    [property: Id(13)] string? IdempotencyKey,
    [property: Id(14)] string? RequestHash,
    [property: Id(15)] long RemainingAfter);

/// <summary>
/// Tokens granted to a customer (a plan bought or renewed), as stored in <c>token_grants</c>, with
/// the subscription's terms after the grant, so a balance can be rebuilt from events alone.
/// </summary>
public sealed record GrantRecord(
    Guid GrantId, string CustomerId, string PlanId, long Sequence, long Tokens, long GrantedAtMs, long StartedAtMs, long? EndsAtMs, long PricePerTokenNanos, string Currency);

/// <summary>A customer's balance after an entry: the snapshot row in <c>subscriptions</c>.</summary>
public sealed record BalanceRecord(
    string CustomerId,
    string? PlanId,
    long Sequence,
    long Granted,
    long Remaining,
    long Consumed,
    long? StartedAtMs,
    long? EndsAtMs,
    bool IsActive,
    long? PricePerTokenNanos,
    string? Currency,
    long UpdatedAtMs);

/// <summary>
/// What one grain turn asks the journal to make durable: usage events (one consume, or a whole
/// batch of them) or a grant, with the balance they lead to. <see cref="Durable"/> completes once
/// the batch holding it has committed. A batch of events is one entry, so it costs one wait and
/// one wake-up, not one per event.
/// </summary>
public sealed class JournalEntry
{
    private static readonly UsageRecord[] NoUsage = [];

    private readonly TaskCompletionSource durable = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JournalEntry(BalanceRecord balance, UsageRecord? usage = null, GrantRecord? grant = null)
        : this(balance, usage is null ? NoUsage : [usage], grant)
    {
    }

    public JournalEntry(BalanceRecord balance, IReadOnlyList<UsageRecord> usage, GrantRecord? grant = null)
    {
        for (var i = 0; i < usage.Count; i++)
        {
            if (usage[i].CustomerId != balance.CustomerId)
            {
                throw new ArgumentException("A journal entry's events and balance must belong to one customer.", nameof(balance));
            }
        }

        if (grant is not null && grant.CustomerId != balance.CustomerId)
        {
            throw new ArgumentException("A journal entry's events and balance must belong to one customer.", nameof(balance));
        }

        Balance = balance;
        Usage = usage;
        Grant = grant;
    }

    public BalanceRecord Balance { get; }

    /// <summary>The usage events, in sequence order; empty for a grant.</summary>
    public IReadOnlyList<UsageRecord> Usage { get; }

    public GrantRecord? Grant { get; }

    public string CustomerId => Balance.CustomerId;

    /// <summary>Events this entry writes, at least one: what batch sizes and the queue are counted in.</summary>
    public int Events => Math.Max(1, Usage.Count + (Grant is null ? 0 : 1));

    public Task Durable => durable.Task;

    internal void Committed() => durable.TrySetResult();

    internal void Failed(Exception error) => durable.TrySetException(error);
}

/// <summary>Where the journal writes: event batches on the hot path, balance snapshots now and then.</summary>
public interface IUsageJournalStore
{
    /// <summary>The usage events and grants of one batch, in one transaction: all of it becomes durable, or none of it.</summary>
    Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken);

    /// <summary>Upserts balance snapshots whose events are already durable; a snapshot never moves backwards.</summary>
    Task WriteBalancesAsync(IReadOnlyList<BalanceRecord> balances, CancellationToken cancellationToken);
}

/// <summary>
/// The journal refused or lost an entry; the balance it carried is not durable. It carries no inner
/// exception: it is answered to callers on other silos, and Orleans cannot serialize the database
/// driver's exceptions (the journal logs those).
/// </summary>
/// <remarks>
/// <see cref="DatabaseUnavailable"/> says why, so that an outage answers as every other database
/// failure does (503 <c>storage_unavailable</c>): true when the database failed the write (down,
/// restarting, connection lost), and for the customer's calls refused until its grain has reloaded
/// after that; false when the journal refused it (a conflicting writer: 503 <c>journal_unavailable</c>).
/// </remarks>
[GenerateSerializer]
public sealed class JournalWriteException(string message, bool databaseUnavailable = false) : Exception(message)
{
    [Id(0)]
    public bool DatabaseUnavailable { get; } = databaseUnavailable;
}

/// <summary>
/// A store refused a batch because it contradicts rows already there: a ledger head moved by
/// another writer, a seq or an idempotency key taken. Retrying the same rows cannot succeed; the
/// journal writes the batch again without the customers concerned.
/// </summary>
public sealed class JournalConflictException(string message, Exception inner) : Exception(message, inner);
