using Billing.Silo.Storage.GrainState;
using Orleans.Storage;

namespace Billing.Silo.Grains;

/// <summary>
/// The close bookkeeping in grain state: what the reminder's back-off counts from, and what an
/// operator reads. It is read on first need, not on activation: most activations record usage and
/// never close, and a cold consume should not pay a read for a month-end it does not run.
/// </summary>
public sealed partial class ShopGrain
{
    /// <summary>The state's name. On PostgreSQL the row is keyed by it and the grain's key, not the grain type, so it names the grain.</summary>
    public const string CloseStateName = "shop-close";

    private GrainState<ShopCloseState>? closeState;

    public async Task<ShopCloseState> GetCloseStateAsync() => (await CloseStateAsync()).State!;

    /// <summary>Counts a failed reminder close; returns the failures in a row, this one included.</summary>
    private async Task<int> RecordCloseFailedAsync(Exception error)
    {
        var state = await CloseStateAsync();
        state.State = state.State!.Failed(error.Message, time.GetUtcNow());
        await SaveCloseStateAsync(state);
        return state.State!.FailedAttempts;
    }

    /// <summary>A reminder close succeeded: the back-off starts over. Written only when failures were counted.</summary>
    private async Task RecordCloseSucceededAsync()
    {
        var state = await CloseStateAsync();
        if (state.State!.FailedAttempts == 0)
        {
            return;
        }

        state.State = state.State.Recovered(time.GetUtcNow());
        await SaveCloseStateAsync(state);
    }

    private async Task<GrainState<ShopCloseState>> CloseStateAsync()
    {
        if (closeState is null)
        {
            var read = new GrainState<ShopCloseState>(new ShopCloseState());
            await CloseStorage.ReadStateAsync(CloseStateName, this.GetGrainId(), read);
            // Never written (or cleared): no failures counted. State is non-null from here on.
            read.State ??= new ShopCloseState();
            closeState = read;
        }

        return closeState;
    }

    private IGrainStorage CloseStorage => ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorages.Billing);

    /// <summary>
    /// A failed save must not turn a close's outcome into another: a close that failed because the
    /// database is away usually cannot save either, and its retry still has to be registered. This
    /// activation keeps counting in memory; only a restart before the next save loses the count.
    /// </summary>
    private async Task SaveCloseStateAsync(GrainState<ShopCloseState> state)
    {
        try
        {
            await CloseStorage.WriteStateAsync(CloseStateName, this.GetGrainId(), state);
        }
        catch (Exception error)
        {
            LogCloseStateNotSaved(logger, ShopId, error.Message);
            if (error is InconsistentStateException)
            {
                // Another activation wrote since this one read: read its row afresh next time.
                closeState = null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shop {ShopId}: close bookkeeping not saved: {Reason}")]
    private static partial void LogCloseStateNotSaved(ILogger logger, string shopId, string reason);
}
