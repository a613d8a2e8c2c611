using Billing.Silo.Telemetry;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Billing.Silo.Metering.Journal;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Metering.Journal;

/// <summary>
/// The silo's group commit. Grains append entries; the writer takes everything pending (up to a
/// batch) and commits it in one transaction, then completes each entry. One fsync serves every
/// request in the batch, and up to <see cref="UsageJournalOptions.MaxConcurrentBatches"/> batches
/// commit at once, so a closed loop of callers is not held to one commit latency per batch. A
/// customer is in at most one in-flight batch (<see cref="BatchAssembler"/>).
/// <para>
/// Fail-stop per customer: when a batch fails, every customer in it is fenced, and their later
/// entries are refused until the customer's grain has reloaded its balance from storage and
/// called <see cref="Reset"/>. A balance that depends on a lost event is never written. A batch
/// that conflicts with another writer's rows (two activations of one customer, see the stores'
/// ledger heads) is split until only the customers concerned fail; the others commit.
/// </para>
/// </summary>
public sealed partial class UsageJournal : IHostedService
{
    private readonly Channel<JournalEntry> pending;
    private readonly IUsageJournalStore store;
    private readonly UsageJournalOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<UsageJournal> logger;
    // Fenced customers, each with whether the write that fenced it failed in the database (see JournalWriteException).
    private readonly ConcurrentDictionary<string, bool> fenced = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly BatchAssembler assembler;
    private readonly SemaphoreSlim writeSlots;
    private TaskCompletionSource batchDone = NewSignal();
    private Task<bool>? arrival;
    private int writesInFlight;
    private Task? writer;
    private long batches;
    private long entries;

    // Events in entries queued but not yet taken into a batch: a usage batch is one entry of many
    // events, so how much waits is counted in events, not entries.
    private long queuedEvents;

    public UsageJournal(IUsageJournalStore store, IOptions<UsageJournalOptions> options, TimeProvider time, ILogger<UsageJournal> logger, BillingMetrics? metrics = null)
    {
        this.store = store;
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        assembler = new BatchAssembler(this.options.MaxBatchSize, this.options.MaxPendingEntries);
        writeSlots = new SemaphoreSlim(this.options.MaxConcurrentBatches, this.options.MaxConcurrentBatches);
        pending = Channel.CreateBounded<JournalEntry>(new BoundedChannelOptions(this.options.MaxPendingEntries)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        if (metrics is not null)
        {
            ObserveWith(metrics.Meter);
        }
    }

    // Read when a collector asks, so the write path does not change.
    private void ObserveWith(System.Diagnostics.Metrics.Meter meter)
    {
        meter.CreateObservableCounter("billing.journal.batches", () => Batches, "{batch}", "Journal batches committed.");
        meter.CreateObservableCounter("billing.journal.events", () => Entries, "{event}", "Usage events and grants committed by the journal.");
        meter.CreateObservableGauge("billing.journal.commit.p50", () => CommitLatency.PercentileMicroseconds(0.50) / 1000.0, "ms", "Median batch commit latency.");
        meter.CreateObservableGauge("billing.journal.commit.p99", () => CommitLatency.PercentileMicroseconds(0.99) / 1000.0, "ms", "99th percentile batch commit latency.");
        meter.CreateObservableGauge("billing.journal.backlog", () => Backlog.Pending, "{entry}", "Entries waiting for a batch.");
    }

    /// <summary>Write latency of batches, from the start of the write to its commit.</summary>
    public LatencyHistogram CommitLatency { get; } = new();

    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Events committed so far (usage rows and grants; one entry of a usage batch counts each of its events).</summary>
    public long Entries => Interlocked.Read(ref entries);

    /// <summary>Entries waiting in the queue, held back behind an in-flight batch of their customer, and batches committing now.</summary>
    public (int Pending, int HeldBack, int BatchesInFlight) Backlog =>
        (pending.Reader.Count, assembler.DeferredCount, Volatile.Read(ref writesInFlight)); // not the free write slots: the writer holds one while it waits for work

    /// <summary>Queues an entry and completes when it is durable; throws <see cref="JournalWriteException"/> when it is not.</summary>
    public async Task AppendAsync(JournalEntry entry)
    {
        if (fenced.ContainsKey(entry.CustomerId))
        {
            throw Fenced(entry.CustomerId);
        }

        Interlocked.Add(ref queuedEvents, entry.Events);
        if (!pending.Writer.TryWrite(entry))
        {
            try
            {
                await pending.Writer.WriteAsync(entry);
            }
            catch
            {
                Interlocked.Add(ref queuedEvents, -entry.Events);
                throw;
            }
        }

        await entry.Durable;
    }

    /// <summary>Lifts the fence of a customer whose grain has reloaded its balance from storage.</summary>
    public void Reset(string customerId) => fenced.TryRemove(customerId, out _);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer ??= Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
        StartSnapshots();
        return Task.CompletedTask;
    }

    /// <summary>Takes no more entries, writes what is queued, flushes the balance snapshots, and returns when all is durable.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        pending.Writer.TryComplete();
        try
        {
            if (writer is not null)
            {
                await writer.WaitAsync(cancellationToken);
            }

            await StopSnapshotsAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of shutdown time: what is not written now was never acknowledged, and balances replay from events.
            var (queued, heldBack, inFlight) = Backlog;
            LogStopTimedOut(logger, queued, heldBack, inFlight, committedBalances.Count);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = pending.Reader;
        while (true)
        {
            await writeSlots.WaitAsync(cancellationToken);
            var batch = await NextBatchAsync(reader, cancellationToken);
            if (batch is null)
            {
                writeSlots.Release();
                break;
            }

            _ = WriteAndReleaseAsync(batch, cancellationToken);
        }

        // Stopping: wait until every in-flight batch has committed or failed.
        for (var slot = 0; slot < options.MaxConcurrentBatches; slot++)
        {
            await writeSlots.WaitAsync(CancellationToken.None);
        }
    }

    /// <summary>The next writable batch; null once the journal is stopped and everything has been handed out.</summary>
    private async Task<List<JournalEntry>?> NextBatchAsync(ChannelReader<JournalEntry> reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Taken before looking, so a commit that finishes meanwhile is not missed.
            var freed = Volatile.Read(ref batchDone).Task;
            FailFencedDeferred();
            if (Volatile.Read(ref writesInFlight) > 0 && Interlocked.Read(ref queuedEvents) < options.MinBatchSizeWhileBusy)
            {
                // A commit is running and few entries wait: let them gather until it finishes (one
                // commit at most) rather than spend a commit on each. A full queue opens another at once.
                await freed.WaitAsync(cancellationToken);
                continue;
            }

            if (options.MaxLingerMs > 0 && reader.Count is > 0 and var queued && queued < options.MaxBatchSize)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.MaxLingerMs), time, cancellationToken);
            }

            var batch = assembler.Next(TakeQueued);
            if (batch.Count > 0)
            {
                return batch;
            }

            if (reader.Completion.IsCompleted && assembler.DeferredCount == 0)
            {
                return null;
            }

            await WaitForWorkAsync(reader, freed, cancellationToken);
        }
    }

    private JournalEntry? TakeQueued()
    {
        if (!pending.Reader.TryRead(out var entry))
        {
            return null;
        }

        Interlocked.Add(ref queuedEvents, -entry.Events);
        return entry;
    }

    /// <summary>
    /// Nothing is writable now: wait until entries arrive or a commit frees held-back customers.
    /// An entry may arrive between the look above and this wait; then the read wait is already
    /// complete and we return at once to take it, never sleeping on commits alone while entries
    /// wait (at shutdown no commit would ever come). One read wait is outstanding at most.
    /// </summary>
    private async Task WaitForWorkAsync(ChannelReader<JournalEntry> reader, Task freed, CancellationToken cancellationToken)
    {
        if (!assembler.CanDefer || reader.Completion.IsCompleted)
        {
            // Only held-back entries can move, and only once a commit frees their customers.
            await freed.WaitAsync(cancellationToken);
            return;
        }

        if (arrival is null || arrival.IsCompleted)
        {
            arrival = reader.WaitToReadAsync(cancellationToken).AsTask();
        }

        if (!arrival.IsCompleted)
        {
            await Task.WhenAny(freed, arrival).WaitAsync(cancellationToken);
        }
    }

    private async Task WriteAndReleaseAsync(List<JournalEntry> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref writesInFlight);
        try
        {
            await WriteAsync(batch, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref writesInFlight);
            assembler.Done(batch);
            writeSlots.Release();
            Interlocked.Exchange(ref batchDone, NewSignal()).TrySetResult();
        }
    }

    private JournalWriteException Fenced(string customerId) =>
        new($"Customer {customerId} is fenced after a failed journal write; its grain must reload first.", fenced.TryGetValue(customerId, out var databaseUnavailable) && databaseUnavailable);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void FailFencedDeferred()
    {
        if (fenced.IsEmpty)
        {
            return;
        }

        foreach (var entry in assembler.RemoveDeferred(e => fenced.ContainsKey(e.CustomerId)))
        {
            entry.Failed(Fenced(entry.CustomerId));
        }
    }

    private async Task WriteAsync(List<JournalEntry> batch, CancellationToken cancellationToken)
    {
        var writable = RefuseFenced(batch);
        if (writable.Count == 0)
        {
            return;
        }

        using var span = BillingTelemetry.Source.StartActivity("journal.commit");
        span?.SetTag("billing.journal.entries", writable.Count);
        var started = time.GetTimestamp();
        var committed = await WriteIsolatingAsync(writable, cancellationToken);
        if (committed.Count == 0)
        {
            return;
        }

        CommitLatency.Record((long)time.GetElapsedTime(started).TotalMicroseconds);
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref entries, committed.Sum(e => e.Events));
        RememberCommitted(committed);
        foreach (var entry in committed)
        {
            entry.Committed();
        }
    }

    /// <summary>
    /// Writes the batch and returns what committed; what did not is failed and its customers fenced.
    /// A conflict (another activation of a customer wrote first: a split brain during a membership
    /// change) fails the whole transaction, innocent customers' entries too, and they cannot know
    /// it was not theirs. So a conflicting batch of several customers is written again in two halves
    /// of whole customers, and so on down to the customers concerned: about 2·log2(customers)
    /// transactions per conflicting customer, and only when a conflict happens. Other failures
    /// (connection lost, timeout) fail the batch as it is: retrying would only hit them again.
    /// </summary>
    private async Task<List<JournalEntry>> WriteIsolatingAsync(List<JournalEntry> batch, CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteBatchAsync(batch, cancellationToken);
            return batch;
        }
        catch (JournalConflictException conflict) when (SplitByCustomer(batch) is { } halves)
        {
            LogIsolatingConflict(logger, batch.Count, conflict.Message);
            return [.. await WriteIsolatingAsync(halves.First, cancellationToken), .. await WriteIsolatingAsync(halves.Second, cancellationToken)];
        }
        catch (Exception error)
        {
            FailAndFence(batch, error);
            return [];
        }
    }

    /// <summary>
    /// The batch in two halves by customer, each in the batch's order; null for a batch of one
    /// customer. A customer's entries stay together: a later event of a customer must never commit
    /// without the earlier one it was decided after.
    /// </summary>
    private static (List<JournalEntry> First, List<JournalEntry> Second)? SplitByCustomer(List<JournalEntry> batch)
    {
        var customers = batch.Select(e => e.CustomerId).Distinct(StringComparer.Ordinal).ToList();
        if (customers.Count < 2)
        {
            return null;
        }

        var first = customers.Take(customers.Count / 2).ToHashSet(StringComparer.Ordinal);
        return ([.. batch.Where(e => first.Contains(e.CustomerId))], [.. batch.Where(e => !first.Contains(e.CustomerId))]);
    }

    private List<JournalEntry> RefuseFenced(List<JournalEntry> batch)
    {
        if (fenced.IsEmpty)
        {
            return batch;
        }

        var writable = new List<JournalEntry>(batch.Count);
        foreach (var entry in batch)
        {
            if (fenced.ContainsKey(entry.CustomerId))
            {
                entry.Failed(Fenced(entry.CustomerId));
            }
            else
            {
                writable.Add(entry);
            }
        }

        return writable;
    }

    private void FailAndFence(List<JournalEntry> batch, Exception error)
    {
        // A driver error (the database down or restarting, the connection lost) and not a conflict,
        // which the store reports as JournalConflictException. The write may even have committed
        // just before the connection went: a retry with the same Idempotency-Key tells.
        var databaseUnavailable = error is System.Data.Common.DbException;
        foreach (var entry in batch)
        {
            fenced[entry.CustomerId] = databaseUnavailable;
        }

        LogBatchFailed(logger, batch.Count, fenced.Count, error);
        // The driver's exception stays in the log above, not inside the failure: the failure travels
        // back to a caller on another silo, and Orleans has no codec for Npgsql's exceptions (the
        // caller would get a CodecNotFoundException, a 500, instead of this retryable 503).
        var failure = new JournalWriteException($"The usage journal could not write a batch of {batch.Count}: {error.Message}", databaseUnavailable);
        foreach (var entry in batch)
        {
            entry.Failed(failure);
        }
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Usage journal stop ran out of time: {Queued} queued, {HeldBack} held back, {InFlight} batch(es) in flight, {Snapshots} snapshot(s) unflushed")]
    private static partial void LogStopTimedOut(ILogger logger, int queued, int heldBack, int inFlight, int snapshots);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Usage journal batch of {Count} conflicts with rows another writer stored ({Reason}); writing it again in parts so that only the customers concerned fail")]
    private static partial void LogIsolatingConflict(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Usage journal batch of {Count} failed; {Fenced} customer(s) fenced until their grains reload")]
    private static partial void LogBatchFailed(ILogger logger, int count, int fenced, Exception error);
}
