using Billing.Silo.Invoicing;
using Orleans.Storage;

namespace Billing.Silo.Grains;

/// <summary>The close bookkeeping in grain state: what the back-off counts from, and what an operator reads.</summary>
public sealed partial class ShopGrain
{
    /// <summary>The persistent state's name; the PostgreSQL row is keyed by it and the grain's key, not the grain type.</summary>
    public const string CloseStateName = "close";

    public Task<ShopCloseState> GetCloseStateAsync() => Task.FromResult(closeState.State);

    /// <summary>Counts a failed reminder close; returns the failures in a row, this one included.</summary>
    private async Task<int> RecordCloseFailedAsync(Exception error)
    {
        closeState.State = closeState.State.Failed(error.Message, time.GetUtcNow());
        await SaveCloseStateAsync();
        return closeState.State.FailedAttempts;
    }

    private Task RecordClosedAsync(ShopBillingResult result)
    {
        var invoiced = result.Outcome == ShopBillingOutcome.Invoiced;
        if (!invoiced && closeState.State.FailedAttempts == 0)
        {
            // Nothing to tell: most calls find nothing due, and each write is a database round trip.
            return Task.CompletedTask;
        }

        closeState.State = closeState.State.Succeeded(invoiced, time.GetUtcNow());
        return SaveCloseStateAsync();
    }

    /// <summary>
    /// A failed save must not turn a close's outcome into another: a close that failed because the
    /// database is away usually cannot save either, and its retry still has to be registered. This
    /// activation keeps counting in memory; only a restart before the next save loses the count.
    /// </summary>
    private async Task SaveCloseStateAsync()
    {
        try
        {
            await closeState.WriteStateAsync();
        }
        catch (Exception error)
        {
            LogCloseStateNotSaved(logger, profile.ShopId, error.Message);
            if (error is InconsistentStateException)
            {
                // Another activation wrote since this one read: the next activation reads its row afresh.
                DeactivateOnIdle();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shop {ShopId}: close bookkeeping not saved: {Reason}")]
    private static partial void LogCloseStateNotSaved(ILogger logger, string shopId, string reason);
}
