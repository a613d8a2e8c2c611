using Billing.Runtime.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Runtime.Reminders;

/// <summary>
/// Delivers due reminders: polls the due head of the reminder index, claims rows (so several
/// silos never deliver the same tick at once), calls <see cref="IRemindable.ReceiveReminder"/>
/// (activating the grain when needed) and moves each row to its next tick, or to a retry time with
/// back-off when the grain failed. A crash mid-delivery leaves the row due: delivery is at least once.
/// </summary>
public sealed class ReminderService : IAsyncDisposable
{
    private readonly SqlReminderTable table;
    private readonly GrainRuntime runtime;
    private readonly TimeProvider time;
    private readonly ReminderOptions options;
    private readonly ILogger<ReminderService> logger;
    private readonly SemaphoreSlim pollGate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private ITimer? timer;

    internal ReminderService(SqlReminderTable table, GrainRuntime runtime, TimeProvider time, IOptions<ReminderOptions> options, ILogger<ReminderService> logger)
    {
        this.table = table;
        this.runtime = runtime;
        this.time = time;
        this.options = options.Value;
        this.logger = logger;
    }

    /// <summary>
    /// Starts polling. The timer is one-shot and re-armed after each poll, so polls never overlap
    /// and a clock that jumps (downtime, a test clock) causes one catch-up poll, not one per interval.
    /// </summary>
    public void Start() =>
        timer ??= time.CreateTimer(static state => _ = ((ReminderService)state!).PollFromTimerAsync(), this, PollInterval, Timeout.InfiniteTimeSpan);

    private TimeSpan PollInterval => TimeSpan.FromMilliseconds(options.PollIntervalMs);

    /// <summary>Delivers everything due now (bounded by batch size × batches); returns the number of ticks delivered or retried.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        await pollGate.WaitAsync(linked.Token);
        try
        {
            var handled = 0;
            for (var batch = 0; batch < options.MaxBatchesPerPoll; batch++)
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                var due = await table.ClaimDueAsync(now, options.BatchSize, now + options.ClaimLeaseMs, linked.Token);
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelDeliveries, CancellationToken = linked.Token };
                await Parallel.ForEachAsync(due, parallel, async (reminder, ct) => await DeliverAsync(reminder, ct));
                handled += due.Count;
                if (due.Count < options.BatchSize)
                {
                    break;
                }
            }

            return handled;
        }
        finally
        {
            pollGate.Release();
        }
    }

    /// <summary>Stops polling and waits for the deliveries in flight.</summary>
    public async Task StopAsync()
    {
        if (timer is not null)
        {
            await timer.DisposeAsync();
        }

        await pollGate.WaitAsync();
        await stopping.CancelAsync();
        pollGate.Release();
    }

    // The host stops the service and the container disposes it: both may run, in either order, so
    // stopping is idempotent and the token source is never disposed (it owns no timer).
    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task PollFromTimerAsync()
    {
        try
        {
            await PollOnceAsync();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception error)
        {
            RuntimeLog.ReminderPollFailed(logger, error);
        }

        if (!stopping.IsCancellationRequested)
        {
            timer?.Change(PollInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task DeliverAsync(DueReminder reminder, CancellationToken cancellationToken)
    {
        if (!runtime.TryGetType(reminder.Grain.Type, out var type) || !type.IsRemindable)
        {
            RuntimeLog.ReminderForUnknownGrainType(logger, reminder.Name, reminder.Grain.Type);
            await table.RetryLaterAsync(reminder, time.GetUtcNow().ToUnixTimeMilliseconds() + options.MaxRetryDelayMs, cancellationToken);
            return;
        }

        var schedule = ReminderSchedule.FromStored(reminder.PeriodMs, reminder.Calendar);
        var firstTick = DateTimeOffset.FromUnixTimeMilliseconds(reminder.FirstTickMs);
        var status = new TickStatus(firstTick, schedule.Period, DateTimeOffset.FromUnixTimeMilliseconds(reminder.TickDueMs));
        try
        {
            await new GrainReference(runtime, type, reminder.Grain.Key)
                .InvokeAsync<IRemindable>(g => g.ReceiveReminder(reminder.Name, status), nameof(IRemindable.ReceiveReminder));
        }
        catch (Exception error)
        {
            var retryAt = time.GetUtcNow() + RetryDelay(reminder.FailedAttempts);
            RuntimeLog.ReminderFailed(logger, reminder.Name, reminder.Grain, reminder.FailedAttempts + 1, retryAt, error);
            await table.RetryLaterAsync(reminder, retryAt.ToUnixTimeMilliseconds(), cancellationToken);
            return;
        }

        var next = schedule.NextAfter(firstTick, time.GetUtcNow());
        await table.CompleteAsync(reminder, next.ToUnixTimeMilliseconds(), cancellationToken);
    }

    private TimeSpan RetryDelay(int failedAttempts)
    {
        var doublings = Math.Min(failedAttempts, 30);
        var delayMs = Math.Min((double)options.RetryDelayMs * Math.Pow(2, doublings), options.MaxRetryDelayMs);
        return TimeSpan.FromMilliseconds(delayMs);
    }
}
