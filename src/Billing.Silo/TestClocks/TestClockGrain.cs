using Billing.Domain;
using Billing.Silo.Grains;
using Billing.Silo.Invoicing;
using Billing.Silo.Payments.Collection;
using Billing.Silo.Payments.Renewals;
using Microsoft.Extensions.Options;

namespace Billing.Silo.TestClocks;

/// <summary>What asking a clock to advance did.</summary>
[GenerateSerializer, Alias("billing.TestClockAdvanceOutcome")]
public enum TestClockAdvanceOutcome
{
    /// <summary>The advance runs: the clock shows <c>advancing</c> until it reaches its target.</summary>
    Started,

    /// <summary>Another advance runs (or the clock was deleted meanwhile).</summary>
    Busy,

    /// <summary>The shops on the clock could need more closes than one advance may run.</summary>
    TooManyEvents,
}

/// <summary>One test clock: the one place its advances run, one at a time.</summary>
[Alias("billing.ITestClockGrain")]
public interface ITestClockGrain : IGrainWithStringKey
{
    /// <summary>Claims the clock and starts walking it to <paramref name="toMs"/> in the background; answers at once.</summary>
    [Alias("advance")]
    Task<TestClockAdvanceOutcome> AdvanceAsync(long toMs);

    /// <summary>Deletes the clock, its customers and all their data; null when it is advancing or gone.</summary>
    [Alias("delete")]
    Task<TestClockDeleted?> DeleteAsync();
}

/// <summary>
/// Advances a test clock. Its customers' shops, collections and renewals register no reminders;
/// instead the advance walks their due periods, collection and renewal attempts in time order (earliest due first, across
/// all the clock's customers), moves the clock to each one's due instant and calls the grain as its
/// reminder would, until the target; then it tells every grain of the clock the target. The walk runs after the call has
/// answered (on this activation), so the clock's status is readable while it runs.
/// </summary>
[GrainType("test-clock")]
public sealed partial class TestClockGrain(
    TestClockStore store, CustomerClocks clocks, ShopPeriods periods, IOptions<TestClockOptions> options, ILogger<TestClockGrain> logger)
    : Grain, ITestClockGrain
{
    private static readonly TimeSpan MaxWalkDuration = TimeSpan.FromHours(1);

    // The advance running on this activation, if any.
    private Task? walk;

    private string ClockId => this.GetPrimaryKeyString();

    public async Task<TestClockAdvanceOutcome> AdvanceAsync(long toMs)
    {
        if (walk is { IsCompleted: false } || await store.GetAsync(ClockId, CancellationToken.None) is not { } clock)
        {
            return TestClockAdvanceOutcome.Busy;
        }

        if (clock.Status == StoredTestClock.Advancing)
        {
            // An advance whose silo went away: go on to its target, and tell the caller it is busy.
            walk = WalkAsync(clock.AdvancingToMs ?? toMs);
            return TestClockAdvanceOutcome.Busy;
        }

        // Every open shop closes at most once per period, and no cycle is shorter than a week.
        var weeks = ((toMs - clock.FrozenAtMs) / (long)TimeSpan.FromDays(7).TotalMilliseconds) + 1;
        if (await store.OpenShopsAsync(ClockId, CancellationToken.None) * weeks > options.Value.MaxEventsPerAdvance)
        {
            return TestClockAdvanceOutcome.TooManyEvents;
        }

        if (!await store.BeginAdvanceAsync(ClockId, toMs, CancellationToken.None))
        {
            return TestClockAdvanceOutcome.Busy;
        }

        walk = WalkAsync(toMs);
        return TestClockAdvanceOutcome.Started;
    }

    public async Task<TestClockDeleted?> DeleteAsync()
    {
        if (walk is { IsCompleted: false })
        {
            return null;
        }

        var deleted = await store.DeleteAsync(ClockId, CancellationToken.None);
        if (deleted is not null)
        {
            clocks.Forget(ClockId);
            DeactivateOnIdle();
        }

        return deleted;
    }

    private async Task WalkAsync(long toMs)
    {
        // The walk is no incoming call: without this, an idle-looking activation could be collected mid-way.
        this.DelayDeactivation(MaxWalkDuration);
        var reachedMs = (await store.GetAsync(ClockId, CancellationToken.None))?.FrozenAtMs ?? toMs;
        try
        {
            reachedMs = await CloseDueAsync(reachedMs, toMs);
            // Every grain of the clock learns the target, on whichever silo it lives.
            foreach (var (customerId, shopId) in await store.GrainsAsync(ClockId, CancellationToken.None))
            {
                await GrainFactory.Subscription(customerId).MoveClockAsync(ClockId, toMs);
                if (shopId is not null)
                {
                    await GrainFactory.Shop(shopId).CloseOnClockAsync(ClockId, toMs);
                }
            }

            reachedMs = toMs;
            LogAdvanced(logger, ClockId, toMs);
        }
        catch (Exception error)
        {
            // The clock stays where the walk got to; the next advance goes on from there.
            LogAdvanceFailed(logger, ClockId, reachedMs, error.Message);
        }
        finally
        {
            await store.FinishAsync(ClockId, reachedMs, CancellationToken.None);
        }
    }

    /// <summary>Runs the clock's due closes and collection attempts in time order up to <paramref name="toMs"/>; returns the instant reached.</summary>
    private async Task<long> CloseDueAsync(long reachedMs, long toMs)
    {
        var graceMs = (long)periods.GracePeriod.TotalMilliseconds;
        ClockEvent? last = null;
        for (var events = 0; events < options.Value.MaxEventsPerAdvance; events++)
        {
            if (await store.NextEventAsync(ClockId, graceMs, CancellationToken.None) is not { } next || next.DueAtMs > toMs)
            {
                return reachedMs;
            }

            if (next == last)
            {
                throw new InvariantViolationException($"Test clock {ClockId}: {next.Kind} of {next.Id} due at {next.DueAtMs} did not run.");
            }

            reachedMs = Math.Max(reachedMs, next.DueAtMs);
            // Stored first: the collection's attempt reads its customer's clock from storage.
            await store.MoveAsync(ClockId, reachedMs, CancellationToken.None);
            await RunAsync(next, reachedMs);

            last = next;
        }

        throw new InvariantViolationException($"Test clock {ClockId}: more than {options.Value.MaxEventsPerAdvance} closes in one advance.");
    }

    /// <summary>Calls the grain the event's reminder would call (the clock already stands at its instant).</summary>
    private Task RunAsync(ClockEvent due, long atMs) => due.Kind switch
    {
        ClockEvent.Close => GrainFactory.Shop(due.Id).CloseOnClockAsync(ClockId, atMs),
        ClockEvent.Collect => GrainFactory.GetGrain<IInvoiceCollectionGrain>(due.Id).CollectDueAsync(),
        ClockEvent.Renew => GrainFactory.GetGrain<IPlanRenewalGrain>(due.Id).RenewDueAsync(),
        _ => throw new InvariantViolationException($"Test clock {ClockId}: no event kind '{due.Kind}'."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Test clock {ClockId} advanced to {ToMs} (Unix ms)")]
    private static partial void LogAdvanced(ILogger logger, string clockId, long toMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Test clock {ClockId}: advance stopped at {ReachedMs} (Unix ms): {Reason}")]
    private static partial void LogAdvanceFailed(ILogger logger, string clockId, long reachedMs, string reason);
}
