namespace Billing.Runtime.Core;

/// <summary>
/// One turn for an activation's mailbox. <see cref="RunAsync"/> runs grain code and keeps the
/// outcome; <see cref="Publish"/> answers the caller afterwards, so the activation's bookkeeping
/// (idle time, metrics) is done before anyone hears the result.
/// </summary>
internal abstract class WorkItem
{
    public long EnqueuedTimestamp { get; set; }

    /// <summary>Calls count as activity and in the metrics; timer ticks do not (a timer alone does not keep a grain alive).</summary>
    public virtual bool IsCall => true;

    /// <summary>Runs the turn; never throws: the grain's exception is returned.</summary>
    public abstract Task<Exception?> RunAsync(Grain grain);

    /// <summary>Completes the caller's task with the outcome of <see cref="RunAsync"/>.</summary>
    public virtual void Publish()
    {
    }

    /// <summary>Completes the item without running it (the activation failed or the silo is stopping).</summary>
    public virtual void Fail(Exception error)
    {
    }
}

internal sealed class CallWorkItem<TGrain, TResult>(Func<TGrain, Task<TResult>> call) : WorkItem
{
    private readonly TaskCompletionSource<TResult> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TResult? result;
    private Exception? error;

    public Task<TResult> Completion => completion.Task;

    public override async Task<Exception?> RunAsync(Grain grain)
    {
        try
        {
            result = await call((TGrain)(object)grain);
        }
        catch (Exception thrown)
        {
            error = thrown;
        }

        return error;
    }

    public override void Publish()
    {
        if (error is null)
        {
            completion.TrySetResult(result!);
        }
        else
        {
            completion.TrySetException(error);
        }
    }

    public override void Fail(Exception failure) => completion.TrySetException(failure);
}

internal sealed class CallWorkItem<TGrain>(Func<TGrain, Task> call) : WorkItem
{
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? error;

    public Task Completion => completion.Task;

    public override async Task<Exception?> RunAsync(Grain grain)
    {
        try
        {
            await call((TGrain)(object)grain);
        }
        catch (Exception thrown)
        {
            error = thrown;
        }

        return error;
    }

    public override void Publish()
    {
        if (error is null)
        {
            completion.TrySetResult();
        }
        else
        {
            completion.TrySetException(error);
        }
    }

    public override void Fail(Exception failure) => completion.TrySetException(failure);
}

internal sealed class TimerWorkItem(GrainTimer timer) : WorkItem
{
    public override bool IsCall => false;

    public override async Task<Exception?> RunAsync(Grain grain)
    {
        try
        {
            await timer.TickAsync();
            return null;
        }
        catch (Exception error)
        {
            return error;
        }
    }
}

/// <summary>Asks the activation to go away once it reaches this item; idle requests re-check idleness then.</summary>
internal sealed class DeactivateWorkItem(DeactivationReason reason, bool onlyIfIdle) : WorkItem
{
    public DeactivationReason Reason { get; } = reason;

    public bool OnlyIfIdle { get; } = onlyIfIdle;

    public override bool IsCall => false;

    public override Task<Exception?> RunAsync(Grain grain) => Task.FromResult<Exception?>(null);
}
