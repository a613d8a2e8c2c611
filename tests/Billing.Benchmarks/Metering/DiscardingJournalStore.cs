using Billing.Silo.Metering.Journal;

namespace Billing.Benchmarks.Metering;

/// <summary>
/// A journal store that writes nothing and answers on the next turn of the thread pool: what the
/// grain, the journal's batching and the completions cost when storage costs nothing. No store
/// can make durable consumes faster than this ceiling, so it bounds what any tuning of the
/// PostgreSQL side could reach. Benchmarks only: nothing it is given is durable.
/// </summary>
public sealed class DiscardingJournalStore : IUsageJournalStore
{
    public async Task WriteBatchAsync(IReadOnlyList<JournalEntry> batch, CancellationToken cancellationToken) => await Task.Yield();

    public async Task WriteBalancesAsync(IReadOnlyList<BalanceRecord> balances, CancellationToken cancellationToken) => await Task.Yield();
}
