namespace Billing.Silo.Grains;

/// <summary>
/// A shop's close bookkeeping, kept in grain state (<c>shop-close</c> in the <c>billing</c> storage) so
/// that the reminder's back-off continues where it was after a deactivation or a restart, and an
/// operator can see why a shop has not closed. Balances are not here: the usage journal owns them.
/// </summary>
[GenerateSerializer, Immutable, Alias("billing.ShopCloseState")]
public sealed record ShopCloseState
{
    /// <summary>Longest failure message kept: enough for a database error, not a stack trace.</summary>
    public const int MaxFailureLength = 1000;

    /// <summary>Failures counted at most: the back-off stops growing long before.</summary>
    public const int MaxCountedFailures = 32;

    /// <summary>Reminder closes that failed in a row; 0 once a close succeeds.</summary>
    [Id(0)]
    public int FailedAttempts { get; init; }

    /// <summary>Why the last failed close failed (kept after a later success, for the record).</summary>
    [Id(1)]
    public string? LastFailure { get; init; }

    [Id(2)]
    public DateTimeOffset? LastFailedAt { get; init; }

    /// <summary>When a close last succeeded after failures (the invoices say when each period closed).</summary>
    [Id(3)]
    public DateTimeOffset? RecoveredAt { get; init; }

    public ShopCloseState Failed(string reason, DateTimeOffset at) => this with
    {
        FailedAttempts = Math.Min(FailedAttempts + 1, MaxCountedFailures),
        LastFailure = reason.Length <= MaxFailureLength ? reason : reason[..MaxFailureLength],
        LastFailedAt = at,
    };

    /// <summary>After a close that did not throw, when failures had been counted.</summary>
    public ShopCloseState Recovered(DateTimeOffset at) => this with
    {
        FailedAttempts = 0,
        RecoveredAt = at,
    };
}
