using Billing.Silo.Metering.Journal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Tests.Metering;

/// <summary>The journal's dispatcher against an in-memory store: nothing it accepts may wait for an unrelated commit.</summary>
public sealed class UsageJournalTests
{
    [Fact]
    public async Task LoneEntriesArrivingOneAfterAnotherAreEachWrittenWithoutWaitingForOtherCommits()
    {
        var store = new MemoryStore();
        var journal = new UsageJournal(store, Options.Create(new UsageJournalOptions()), TimeProvider.System, NullLogger<UsageJournal>.Instance);
        await journal.StartAsync(CancellationToken.None);

        // One appender: each entry arrives just as the previous commit completes, when nothing else is in flight,
        // which is the moment a lost wake-up would leave it waiting for good.
        for (var i = 1; i <= 20_000; i++)
        {
            var entry = Entry($"cus_{i % 7}", i);
            await journal.AppendAsync(entry).WaitAsync(TimeSpan.FromSeconds(5));
        }

        await journal.StopAsync(CancellationToken.None);
        Assert.Equal(20_000, store.Written);
    }

    [Fact]
    public async Task StopWritesEverythingAcceptedAndFlushesTheSnapshots()
    {
        var store = new MemoryStore();
        var journal = new UsageJournal(store, Options.Create(new UsageJournalOptions { SnapshotIntervalMs = 600_000 }), TimeProvider.System, NullLogger<UsageJournal>.Instance);
        await journal.StartAsync(CancellationToken.None);

        var appends = Enumerable.Range(1, 1_000).Select(i => journal.AppendAsync(Entry($"cus_{i % 50}", i))).ToList();
        await Task.WhenAll(appends).WaitAsync(TimeSpan.FromSeconds(10));
        await journal.StopAsync(CancellationToken.None);

        Assert.Equal(1_000, store.Written);
        Assert.Equal(50, store.Snapshots.Count);
        Assert.Equal(0, journal.UnflushedBalances);
    }

    [Fact]
    public async Task BacklogCountsOnlyTheBatchesBeingWritten()
    {
        var store = new GatedStore();
        var journal = new UsageJournal(store, Options.Create(new UsageJournalOptions()), TimeProvider.System, NullLogger<UsageJournal>.Instance);
        await journal.StartAsync(CancellationToken.None);
        Assert.Equal((0, 0, 0), journal.Backlog);

        var append = journal.AppendAsync(Entry("cus_1", 1));
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((0, 0, 1), journal.Backlog);

        store.Release.SetResult();
        await append.WaitAsync(TimeSpan.FromSeconds(5));
        await journal.StopAsync(CancellationToken.None);
        Assert.Equal((0, 0, 0), journal.Backlog);
    }

    [Fact]
    public async Task ConflictOfOneCustomerFailsOnlyThatCustomerWhileTheRestOfItsBatchCommits()
    {
        var store = new ConflictingStore("cus_split");
        var journal = new UsageJournal(store, Options.Create(new UsageJournalOptions { SnapshotIntervalMs = 600_000 }), TimeProvider.System, NullLogger<UsageJournal>.Instance);
        await journal.StartAsync(CancellationToken.None);
        var first = journal.AppendAsync(Entry("cus_first", 1));
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));

        // Fewer than MinBatchSizeWhileBusy wait behind the running commit, so they go as one batch of 16 customers, the loser last.
        var innocent = Enumerable.Range(0, 15).Select(i => journal.AppendAsync(Entry($"cus_{i}", 1))).ToList();
        var split = journal.AppendAsync(Entry("cus_split", 1));
        store.Release.SetResult();

        await Task.WhenAll(innocent.Append(first)).WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<JournalWriteException>(() => split.WaitAsync(TimeSpan.FromSeconds(5)));
        await journal.StopAsync(CancellationToken.None);
        Assert.Equal(16, store.Committed.Count);
        Assert.Equal(16, store.Snapshots.Count);
        Assert.DoesNotContain("cus_split", store.Snapshots.Keys);

        // The first batch, the batch of 16, then halves down to the loser: 8+8, 4+4, 2+2, 1+1.
        Assert.Equal(10, store.Attempts);
    }

    private static JournalEntry Entry(string customer, long sequence) =>
        new(new BalanceRecord(customer, "plan", sequence, 1_000_000, 1_000_000 - sequence, sequence, null, null, true, null, null, 0));

    private sealed class MemoryStore : IUsageJournalStore
    {
        private int written;

        public int Written => Volatile.Read(ref written);

        public System.Collections.Concurrent.ConcurrentDictionary<string, long> Snapshots { get; } = new();

        public async Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
        {
            await Task.Yield();
            Interlocked.Add(ref written, batch.Count);
        }

        public Task WriteBalancesAsync(IReadOnlyList<BalanceRecord> balances, CancellationToken cancellationToken)
        {
            foreach (var balance in balances)
            {
                Snapshots[balance.CustomerId] = balance.Sequence;
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Holds the first write until the test releases it; refuses every batch holding the loser as a conflict, as a moved ledger head does.</summary>
    private sealed class ConflictingStore(string loser) : IUsageJournalStore
    {
        private int attempts;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Attempts => Volatile.Read(ref attempts);

        public System.Collections.Concurrent.ConcurrentBag<string> Committed { get; } = [];

        public System.Collections.Concurrent.ConcurrentDictionary<string, long> Snapshots { get; } = new();

        public async Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref attempts);
            Entered.TrySetResult();
            await Release.Task;
            if (batch.Any(e => e.CustomerId == loser))
            {
                throw new JournalConflictException("simulated: another activation moved the ledger head", new InvalidOperationException("ck_ledger_heads_fence"));
            }

            foreach (var entry in batch)
            {
                Committed.Add(entry.CustomerId);
            }
        }

        public Task WriteBalancesAsync(IReadOnlyList<BalanceRecord> balances, CancellationToken cancellationToken)
        {
            foreach (var balance in balances)
            {
                Snapshots[balance.CustomerId] = balance.Sequence;
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Holds the first write until the test releases it.</summary>
    private sealed class GatedStore : IUsageJournalStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task;
        }

        public Task WriteBalancesAsync(IReadOnlyList<BalanceRecord> balances, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
