namespace Billing.Runtime.Core;

/// <summary>
/// An in-memory timer whose ticks run as turns of its grain, so the callback needs no locks. The
/// next tick is armed only after a tick's turn completes: ticks never overlap or pile up.
/// </summary>
internal sealed class GrainTimer : IDisposable
{
    private readonly GrainActivation owner;
    private readonly Func<CancellationToken, Task> callback;
    private readonly TimeSpan period;
    private readonly ITimer timer;
    private readonly CancellationTokenSource disposal = new();
    private int disposed;

    public GrainTimer(GrainActivation owner, TimeProvider time, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "A timer period is positive, zero or infinite (one-shot).");
        }

        this.owner = owner;
        this.callback = callback;
        this.period = period;
        timer = time.CreateTimer(static state => ((GrainTimer)state!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    public bool IsDisposed => Volatile.Read(ref disposed) == 1;

    public async Task TickAsync()
    {
        if (IsDisposed)
        {
            return;
        }

        try
        {
            await callback(disposal.Token);
        }
        finally
        {
            if (!IsDisposed && period > TimeSpan.Zero)
            {
                timer.Change(period, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        timer.Dispose();
        disposal.Cancel();
        owner.ForgetTimer(this);
    }

    private void OnDue()
    {
        if (!IsDisposed && !owner.TryEnqueue(new TimerWorkItem(this)))
        {
            Dispose();
        }
    }
}
