using System.Collections.Concurrent;

namespace Billing.Silo.Metering.Journal;

/// <summary>
/// Balance snapshots. Every batch commits events only; the newest committed balance of each
/// customer is kept here and upserted about once per <see cref="UsageJournalOptions.SnapshotIntervalMs"/>
/// (and at stop). A snapshot is taken only from committed entries, so it never runs ahead of its
/// events; when it lags (a crash between flushes), the grain replays the events after its sequence.
/// </summary>
public sealed partial class UsageJournal
{
    private const int MaxBalancesPerFlush = 10_000;

    private readonly ConcurrentDictionary<string, BalanceRecord> committedBalances = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim flushGate = new(1, 1);
    private ITimer? snapshotTimer;
    private int snapshotArmed;

    /// <summary>Balances committed but not yet written as snapshots.</summary>
    public int UnflushedBalances => committedBalances.Count;

    /// <summary>Writes every pending snapshot now; on failure they stay pending for the next flush.</summary>
    public async Task FlushBalancesAsync(CancellationToken cancellationToken)
    {
        await flushGate.WaitAsync(cancellationToken);
        try
        {
            var taken = TakeBalances();
            for (var start = 0; start < taken.Count; start += MaxBalancesPerFlush)
            {
                var chunk = taken.GetRange(start, Math.Min(MaxBalancesPerFlush, taken.Count - start));
                try
                {
                    await store.WriteBalancesAsync(chunk, cancellationToken);
                }
                catch
                {
                    Remember(taken.Skip(start));
                    throw;
                }
            }
        }
        finally
        {
            flushGate.Release();
        }
    }

    private void RememberCommitted(IReadOnlyList<JournalEntry> batch)
    {
        // Remember keeps each customer's newest balance by sequence, so the batch's own order does not matter.
        Remember(batch.Select(e => e.Balance));
        ArmSnapshots();
    }

    /// <summary>
    /// The timer runs only while snapshots wait: an idle silo does not wake up, and a clock that
    /// jumps far (downtime, a test's manual clock) causes one flush, not one per interval.
    /// </summary>
    private void ArmSnapshots()
    {
        if (snapshotTimer is not null && Interlocked.Exchange(ref snapshotArmed, 1) == 0)
        {
            snapshotTimer.Change(SnapshotInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void Remember(IEnumerable<BalanceRecord> balances)
    {
        foreach (var balance in balances)
        {
            committedBalances.AddOrUpdate(balance.CustomerId, balance, (_, seen) => seen.Sequence >= balance.Sequence ? seen : balance);
        }
    }

    private List<BalanceRecord> TakeBalances()
    {
        var taken = new List<BalanceRecord>(committedBalances.Count);
        foreach (var customer in committedBalances.Keys)
        {
            if (committedBalances.TryRemove(customer, out var balance))
            {
                taken.Add(balance);
            }
        }

        return taken;
    }

    private void StartSnapshots()
    {
        snapshotTimer ??= time.CreateTimer(static state => _ = ((UsageJournal)state!).FlushFromTimerAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (!committedBalances.IsEmpty)
        {
            ArmSnapshots();
        }
    }

    private async Task StopSnapshotsAsync()
    {
        if (snapshotTimer is not null)
        {
            await snapshotTimer.DisposeAsync();
        }

        await FlushBalancesAsync(CancellationToken.None);
    }

    private TimeSpan SnapshotInterval => TimeSpan.FromMilliseconds(options.SnapshotIntervalMs);

    // One-shot and re-armed after a flush only if more balances wait, so flushes never overlap.
    private async Task FlushFromTimerAsync()
    {
        try
        {
            await FlushBalancesAsync(stopping.Token);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogSnapshotFlushFailed(logger, committedBalances.Count, error);
        }

        // Disarmed first, then looked: a balance remembered meanwhile either re-armed the timer itself or is seen here.
        Volatile.Write(ref snapshotArmed, 0);
        if (!committedBalances.IsEmpty)
        {
            ArmSnapshots();
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Balance snapshot flush failed; {Pending} snapshot(s) stay pending (events are durable, balances replay from them)")]
    private static partial void LogSnapshotFlushFailed(ILogger logger, int pending, Exception error);
}
