namespace Billing.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock only moves when a test calls <see cref="Advance"/> or
/// <see cref="SetUtcNow"/>. Timers fire synchronously on the thread that moves the clock.
/// </summary>
/// <remarks>
/// Stands in for FakeTimeProvider (Microsoft.Extensions.TimeProvider.Testing), absent from our package source.
/// Code awaiting Task.Delay or WaitAsync on it usually resumes inside Advance, on the advancing thread.
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    // A periodic timer with a tiny period would otherwise spin a large Advance for ever.
    private const int MaxCallbacksPerMove = 1_000_000;

    // System.Threading.Timer's own limit (0xfffffffe ms); BCL helpers validate against it too.
    private const long MaxTimeoutTicks = 0xfffffffeL * TimeSpan.TicksPerMillisecond;

    // Larger than any DateTimeOffset's ticks, so a disarmed timer is never due.
    private const long Disarmed = long.MaxValue;

    private readonly Lock _gate = new();

    // Kept in creation order: the scan for the next due timer breaks ties by list position.
    private readonly List<ManualTimer> _timers = [];
    private long _nowTicks;

    public ManualTimeProvider(DateTimeOffset start)
    {
        RequireUtc(start, nameof(start));
        _nowTicks = start.UtcTicks;
    }

    /// <summary>Timers created by this provider and not yet disposed, armed or not.</summary>
    public int ActiveTimerCount
    {
        get { lock (_gate) { return _timers.Count; } }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    // Timestamps are the clock's ticks, so GetElapsedTime measures manual time, not real time.
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_gate) { return _nowTicks; }
    }

    public override DateTimeOffset GetUtcNow() => new(GetTimestamp(), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ValidateTimeout(dueTime, nameof(dueTime));
        ValidateTimeout(period, nameof(period));
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
            Arm(timer, dueTime, period);
        }
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing every timer that falls due.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        MoveTo((GetUtcNow() + by).UtcTicks);
    }

    /// <summary>Moves the clock forward to <paramref name="to"/>, firing every timer that falls due.</summary>
    public void SetUtcNow(DateTimeOffset to)
    {
        RequireUtc(to, nameof(to));
        var now = GetUtcNow();
        if (to < now)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"Time cannot move backwards; it is already {now:O}.");
        }
        MoveTo(to.UtcTicks);
    }

    // One timer per iteration: callbacks may add, change or dispose timers (themselves included),
    // so the next due timer is looked up afresh each time, and never run under the lock.
    private void MoveTo(long targetTicks)
    {
        for (var fired = 0; ; fired++)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = NextDue(targetTicks);
                if (due is null)
                {
                    // Max, not assignment: a concurrent Advance may already have gone further.
                    _nowTicks = Math.Max(_nowTicks, targetTicks);
                    return;
                }
                if (fired == MaxCallbacksPerMove)
                {
                    throw new InvalidOperationException(
                        $"Moving the clock fired {MaxCallbacksPerMove:N0} timer callbacks without reaching the target; a periodic timer is probably running away.");
                }
                _nowTicks = Math.Max(_nowTicks, due.DueTicks);
                // Re-arm from the due time, not from now, so a long jump fires every period it spans.
                due.DueTicks = due.PeriodTicks == 0 ? Disarmed : due.DueTicks + due.PeriodTicks;
            }
            due.Fire();
        }
    }

    private ManualTimer? NextDue(long targetTicks)
    {
        ManualTimer? next = null;
        foreach (var timer in _timers)
        {
            if (timer.DueTicks <= targetTicks && (next is null || timer.DueTicks < next.DueTicks))
            {
                next = timer;
            }
        }
        return next;
    }

    private bool Change(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        ValidateTimeout(dueTime, nameof(dueTime));
        ValidateTimeout(period, nameof(period));
        lock (_gate)
        {
            // ITimer.Change reports a disposed timer with false, as the BCL's timers do.
            if (timer.IsDisposed)
            {
                return false;
            }
            Arm(timer, dueTime, period);
            return true;
        }
    }

    private void Dispose(ManualTimer timer)
    {
        lock (_gate)
        {
            timer.IsDisposed = true;
            timer.DueTicks = Disarmed;
            _timers.Remove(timer);
        }
    }

    // Caller holds _gate. Infinite due disables; zero or infinite period means one-shot.
    private void Arm(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        timer.DueTicks = dueTime == Timeout.InfiniteTimeSpan ? Disarmed : _nowTicks + dueTime.Ticks;
        timer.PeriodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
    }

    private static void ValidateTimeout(TimeSpan value, string paramName)
    {
        if (value < Timeout.InfiniteTimeSpan || value.Ticks > MaxTimeoutTicks)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "Must be Timeout.InfiniteTimeSpan or between zero and 4294967294 ms.");
        }
    }

    private static void RequireUtc(DateTimeOffset value, string paramName)
    {
        if (value.Offset != TimeSpan.Zero)
        {
            throw new ArgumentException($"Expected a UTC offset, got {value.Offset}.", paramName);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        // Like System.Threading.Timer, run the callback in the creator's ExecutionContext
        // (AsyncLocal values); Capture returns null when the creator suppressed flow.
        private readonly ExecutionContext? _context = ExecutionContext.Capture();

        // The three below are guarded by the owner's lock.
        internal long DueTicks = Disarmed;
        internal long PeriodTicks;
        internal bool IsDisposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => owner.Change(this, dueTime, period);

        public void Dispose() => owner.Dispose(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        internal void Fire()
        {
            if (_context is null)
            {
                callback(state);
                return;
            }
            ExecutionContext.Run(_context, callback.Invoke, state);
        }
    }
}
