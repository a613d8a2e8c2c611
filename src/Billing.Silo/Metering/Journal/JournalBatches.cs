namespace Billing.Silo.Metering.Journal;

internal static class JournalBatches
{
    /// <summary>The last balance of each customer in the batch: one snapshot row per customer per transaction.</summary>
    public static IReadOnlyList<BalanceRecord> NewestBalances(IReadOnlyList<JournalEntry> batch)
    {
        var newest = new Dictionary<string, BalanceRecord>(StringComparer.Ordinal);
        foreach (var entry in batch)
        {
            if (!newest.TryGetValue(entry.CustomerId, out var seen) || seen.Sequence < entry.Balance.Sequence)
            {
                newest[entry.CustomerId] = entry.Balance;
            }
        }

        return [.. newest.Values];
    }
}
