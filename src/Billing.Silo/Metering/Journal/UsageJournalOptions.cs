namespace Billing.Silo.Metering.Journal;

/// <summary>The per-silo usage journal (section <c>Billing:Journal</c>).</summary>
public sealed class UsageJournalOptions
{
    public const string SectionName = "Billing:Journal";

    /// <summary>Entries written in one transaction at most.</summary>
    public int MaxBatchSize { get; set; } = 8_192;

    /// <summary>
    /// How long the writer waits for more entries before a write once it has some. 0 writes at
    /// once: entries that arrive while a write is in flight form the next batch, which is where
    /// group commit gets its batches under load without adding latency when idle.
    /// </summary>
    public int MaxLingerMs { get; set; }

    /// <summary>How often committed balances are written as snapshots (events are written at once, always).</summary>
    public int SnapshotIntervalMs { get; set; } = 1_000;

    /// <summary>Batches committing at the same time (each on its own connection).</summary>
    public int MaxConcurrentBatches { get; set; } = 4;

    /// <summary>
    /// While a batch is committing, another starts only once this many entries wait; fewer wait
    /// for the running commit to finish and go together. Bigger batches, fewer commits.
    /// </summary>
    public int MinBatchSizeWhileBusy { get; set; } = 32;

    /// <summary>Entries waiting for the writer; appenders wait (backpressure) beyond this.</summary>
    public int MaxPendingEntries { get; set; } = 100_000;

    public IEnumerable<string> Validate()
    {
        if (MaxBatchSize is < 1 or > 100_000) yield return "Billing:Journal:MaxBatchSize must be 1..100000.";
        if (MinBatchSizeWhileBusy < 1 || MinBatchSizeWhileBusy > MaxBatchSize) yield return "Billing:Journal:MinBatchSizeWhileBusy must be 1..MaxBatchSize.";
        if (SnapshotIntervalMs is < 10 or > 600_000) yield return "Billing:Journal:SnapshotIntervalMs must be 10..600000.";
        if (MaxConcurrentBatches is < 1 or > 64) yield return "Billing:Journal:MaxConcurrentBatches must be 1..64.";
        if (MaxLingerMs is < 0 or > 1_000) yield return "Billing:Journal:MaxLingerMs must be 0..1000.";
        if (MaxPendingEntries < MaxBatchSize || MaxPendingEntries > 10_000_000) yield return "Billing:Journal:MaxPendingEntries must be MaxBatchSize..10000000.";
    }
}
