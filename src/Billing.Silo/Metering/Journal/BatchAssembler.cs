namespace Billing.Silo.Metering.Journal;

/// <summary>
/// Builds the next batch while others may still be committing. A customer is never in two
/// in-flight batches at once: its entries wait (in order) until its current batch has committed
/// or failed. That keeps each customer's events committing in sequence order, and means a failed
/// batch can never be overtaken by a later batch of the same customer. Used by the journal's single
/// dispatcher only; in-flight bookkeeping is guarded by a lock because completions run elsewhere.
/// A batch is bounded by the events (rows) it writes, not by its entries: one entry may carry a
/// thousand events of a usage batch. An entry bigger than the bound still goes, alone.
/// </summary>
internal sealed class BatchAssembler(int maxBatchSize, int maxDeferredEntries)
{
    private readonly object gate = new();
    private readonly HashSet<string> inFlight = new(StringComparer.Ordinal);
    private readonly LinkedList<JournalEntry> deferred = new();

    /// <summary>Entries held back because their customer is in flight.</summary>
    public int DeferredCount => deferred.Count;

    /// <summary>Room for more held-back entries; the dispatcher stops reading new entries when there is none.</summary>
    public bool CanDefer => deferred.Count < maxDeferredEntries;

    /// <summary>
    /// Takes held-back entries whose customers are free, then new entries from <paramref name="incoming"/>,
    /// up to a batch; marks the batch's customers in flight.
    /// </summary>
    public List<JournalEntry> Next(Func<JournalEntry?> incoming)
    {
        var batch = new Batch(new List<JournalEntry>(Math.Min(maxBatchSize, 1_024)));
        var inThisBatch = new HashSet<string>(StringComparer.Ordinal);
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        lock (gate)
        {
            TakeDeferred(batch, inThisBatch, waiting);
            while (batch.Events < maxBatchSize && CanDefer && incoming() is { } entry)
            {
                Place(entry, batch, inThisBatch, waiting);
            }

            inFlight.UnionWith(inThisBatch);
        }

        return batch.Entries;
    }

    /// <summary>The batch has committed or failed: its customers may be written again.</summary>
    public void Done(IEnumerable<JournalEntry> batch)
    {
        lock (gate)
        {
            foreach (var entry in batch)
            {
                inFlight.Remove(entry.CustomerId);
            }
        }
    }

    /// <summary>Held-back entries that must not be written (their customer was fenced), removed and returned.</summary>
    public List<JournalEntry> RemoveDeferred(Func<JournalEntry, bool> refused)
    {
        var removed = new List<JournalEntry>();
        lock (gate)
        {
            for (var node = deferred.First; node is not null;)
            {
                var next = node.Next;
                if (refused(node.Value))
                {
                    removed.Add(node.Value);
                    deferred.Remove(node);
                }

                node = next;
            }
        }

        return removed;
    }

    private void TakeDeferred(Batch batch, HashSet<string> inThisBatch, HashSet<string> waiting)
    {
        for (var node = deferred.First; node is not null && batch.Events < maxBatchSize;)
        {
            var next = node.Next;
            var customer = node.Value.CustomerId;
            if (!inFlight.Contains(customer) && !waiting.Contains(customer))
            {
                batch.Add(node.Value);
                inThisBatch.Add(customer);
                deferred.Remove(node);
            }
            else
            {
                // A later entry of a customer still waiting must wait behind it.
                waiting.Add(customer);
            }

            node = next;
        }
    }

    private void Place(JournalEntry entry, Batch batch, HashSet<string> inThisBatch, HashSet<string> waiting)
    {
        var customer = entry.CustomerId;
        if (inFlight.Contains(customer) || waiting.Contains(customer))
        {
            deferred.AddLast(entry);
            waiting.Add(customer);
            return;
        }

        batch.Add(entry);
        inThisBatch.Add(customer);
    }

    /// <summary>The entries of the batch being built and the events they write.</summary>
    private sealed class Batch(List<JournalEntry> entries)
    {
        public List<JournalEntry> Entries { get; } = entries;

        public int Events { get; private set; }

        public void Add(JournalEntry entry)
        {
            Entries.Add(entry);
            Events += entry.Events;
        }
    }
}
