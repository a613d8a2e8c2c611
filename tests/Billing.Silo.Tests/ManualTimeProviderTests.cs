using Billing.Testing;

namespace Billing.Silo.Tests;

public class ManualTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Constructor_rejects_a_non_utc_offset()
    {
        var local = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(2));

        var ex = Assert.Throws<ArgumentException>(() => new ManualTimeProvider(local));

        Assert.Equal("start", ex.ParamName);
    }

    [Fact]
    public void Clock_starts_at_start_in_utc_and_moves_only_when_advanced()
    {
        var clock = new ManualTimeProvider(Start);

        Assert.Equal(Start, clock.GetUtcNow());
        Assert.Equal(TimeZoneInfo.Utc, clock.LocalTimeZone);
        Assert.Equal(Start, clock.GetLocalNow());

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(Start.AddMinutes(5), clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.GetUtcNow().Offset);
    }

    [Fact]
    public void Timestamps_follow_the_manual_clock()
    {
        var clock = new ManualTimeProvider(Start);
        var before = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(TimeSpan.TicksPerSecond, clock.TimestampFrequency);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), clock.GetElapsedTime(before));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), clock.GetElapsedTime(before, clock.GetTimestamp()));
    }

    [Fact]
    public void One_shot_timer_fires_once_at_its_due_time_with_the_clock_at_that_time()
    {
        var clock = new ManualTimeProvider(Start);
        var seen = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => seen.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(seen);

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal([Start.AddSeconds(10)], seen);
        Assert.Equal(Start.AddSeconds(9).AddMinutes(5), clock.GetUtcNow());
    }

    [Fact]
    public void Zero_period_means_one_shot_and_infinite_due_time_means_disabled()
    {
        var clock = new ManualTimeProvider(Start);
        var oneShot = 0;
        var disabled = 0;
        using var a = clock.CreateTimer(_ => oneShot++, null, TimeSpan.FromSeconds(1), TimeSpan.Zero);
        using var b = clock.CreateTimer(_ => disabled++, null, Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(1, oneShot);
        Assert.Equal(0, disabled);
        Assert.Equal(2, clock.ActiveTimerCount);
    }

    [Fact]
    public void Timer_due_now_fires_on_a_zero_advance_not_on_creation()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(0, fired);

        clock.Advance(TimeSpan.Zero);

        Assert.Equal(1, fired);
    }

    [Fact]
    public void Periodic_timer_fires_once_per_period_spanned_by_one_long_advance()
    {
        var clock = new ManualTimeProvider(Start);
        var seen = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => seen.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(44));

        Assert.Equal(
            [Start.AddSeconds(5), Start.AddSeconds(15), Start.AddSeconds(25), Start.AddSeconds(35)],
            seen);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Start.AddSeconds(45), seen[^1]);
    }

    [Fact]
    public void Change_rearms_relative_to_now_and_infinite_due_time_disarms()
    {
        var clock = new ManualTimeProvider(Start);
        var seen = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => seen.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(timer.Change(TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Empty(seen);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([Start.AddSeconds(25)], seen);

        Assert.True(timer.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        Assert.True(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Single(seen);
    }

    [Fact]
    public void Change_and_CreateTimer_reject_timeouts_below_infinite()
    {
        var clock = new ManualTimeProvider(Start);
        using var timer = clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var tooSmall = TimeSpan.FromMilliseconds(-2);

        Assert.Throws<ArgumentOutOfRangeException>("dueTime", () => timer.Change(tooSmall, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("period", () => clock.CreateTimer(_ => { }, null, TimeSpan.Zero, tooSmall));
        Assert.Equal(1, clock.ActiveTimerCount);
    }

    [Fact]
    public async Task Dispose_stops_the_timer_and_lowers_ActiveTimerCount()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = 0;
        var first = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var second = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal(2, clock.ActiveTimerCount);

        first.Dispose();
        await second.DisposeAsync();
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, fired);
        Assert.Equal(0, clock.ActiveTimerCount);
        Assert.False(first.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        first.Dispose();
    }

    [Fact]
    public void Timers_fire_in_due_time_order_with_ties_in_creation_order()
    {
        var clock = new ManualTimeProvider(Start);
        var order = new List<string>();
        ITimer Create(string name, int dueSeconds) =>
            clock.CreateTimer(_ => order.Add($"{name}@{(clock.GetUtcNow() - Start).TotalSeconds}"), null, TimeSpan.FromSeconds(dueSeconds), Timeout.InfiniteTimeSpan);
        using var c = Create("c", 30);
        using var a = Create("a", 10);
        using var b1 = Create("b1", 20);
        using var b2 = Create("b2", 20);

        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["a@10", "b1@20", "b2@20", "c@30"], order);
    }

    [Fact]
    public void Timer_created_by_a_callback_fires_in_the_same_advance_when_due_within_it()
    {
        var clock = new ManualTimeProvider(Start);
        var seen = new List<DateTimeOffset>();
        ITimer? inner = null;
        using var outer = clock.CreateTimer(
            _ => inner = clock.CreateTimer(_ => seen.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan),
            null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal([Start.AddSeconds(15)], seen);
        inner?.Dispose();
    }

    [Fact]
    public void Callback_may_dispose_its_own_periodic_timer()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = 0;
        ITimer? timer = null;
        timer = clock.CreateTimer(
            _ =>
            {
                if (++fired == 3)
                {
                    timer!.Dispose();
                }
            },
            null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(3, fired);
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    [Fact]
    public void Callbacks_run_synchronously_on_the_advancing_thread()
    {
        var clock = new ManualTimeProvider(Start);
        var callbackThread = -1;
        using var timer = clock.CreateTimer(_ => callbackThread = Environment.CurrentManagedThreadId, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(Environment.CurrentManagedThreadId, callbackThread);
    }

    [Fact]
    public void Callback_runs_in_the_creators_execution_context()
    {
        var clock = new ManualTimeProvider(Start);
        var local = new AsyncLocal<string>();
        string? seen = null;
        local.Value = "creator";
        using var timer = clock.CreateTimer(_ => seen = local.Value, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        local.Value = "advancer";

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("creator", seen);
    }

    [Fact]
    public void Exception_from_a_callback_propagates_out_of_Advance_with_the_clock_at_its_due_time()
    {
        var clock = new ManualTimeProvider(Start);
        using var timer = clock.CreateTimer(_ => throw new InvalidTimeZoneException("boom"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        Assert.Throws<InvalidTimeZoneException>(() => clock.Advance(TimeSpan.FromSeconds(10)));

        Assert.Equal(Start.AddSeconds(1), clock.GetUtcNow());
    }

    [Fact]
    public async Task Task_Delay_completes_exactly_when_the_clock_reaches_its_end()
    {
        var clock = new ManualTimeProvider(Start);
        var delay = Task.Delay(TimeSpan.FromSeconds(5), clock);

        clock.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(delay.IsCompletedSuccessfully);
        await delay;
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    [Fact]
    public async Task WaitAsync_throws_TimeoutException_when_the_clock_passes_the_timeout()
    {
        var clock = new ManualTimeProvider(Start);
        var never = new TaskCompletionSource();
        var waiting = never.Task.WaitAsync(TimeSpan.FromSeconds(30), clock);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => waiting);
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    [Fact]
    public async Task WaitAsync_returns_the_result_when_the_task_beats_the_timeout()
    {
        var clock = new ManualTimeProvider(Start);
        var source = new TaskCompletionSource<int>();
        var waiting = source.Task.WaitAsync(TimeSpan.FromSeconds(30), clock);

        source.SetResult(42);

        Assert.Equal(42, await waiting);
        clock.Advance(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void CancellationTokenSource_with_the_provider_cancels_at_its_due_time()
    {
        var clock = new ManualTimeProvider(Start);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1), clock);
        DateTimeOffset? cancelledAt = null;
        using var registration = cts.Token.Register(() => cancelledAt = clock.GetUtcNow());

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(cts.IsCancellationRequested);
        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.True(cts.IsCancellationRequested);
        Assert.Equal(Start.AddMinutes(1), cancelledAt);
    }

    [Fact]
    public async Task PeriodicTimer_ticks_with_the_manual_clock_and_stops_when_disposed()
    {
        var clock = new ManualTimeProvider(Start);
        var periodic = new PeriodicTimer(TimeSpan.FromSeconds(10), clock);

        for (var i = 1; i <= 3; i++)
        {
            var tick = periodic.WaitForNextTickAsync();
            Assert.False(tick.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(10));
            Assert.True(await tick);
        }

        periodic.Dispose();
        Assert.Equal(0, clock.ActiveTimerCount);
        Assert.False(await periodic.WaitForNextTickAsync());
    }

    [Fact]
    public void SetUtcNow_moves_forward_and_fires_due_timers_but_refuses_to_go_backwards()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);

        clock.SetUtcNow(Start.AddHours(2));

        Assert.Equal(1, fired);
        Assert.Equal(Start.AddHours(2), clock.GetUtcNow());
        Assert.Throws<ArgumentOutOfRangeException>("to", () => clock.SetUtcNow(Start.AddHours(1)));
        Assert.Throws<ArgumentException>("to", () => clock.SetUtcNow(Start.AddHours(3).ToOffset(TimeSpan.FromHours(1))));
        Assert.Equal(Start.AddHours(2), clock.GetUtcNow());
    }

    [Fact]
    public void Advance_rejects_a_negative_span()
    {
        var clock = new ManualTimeProvider(Start);

        Assert.Throws<ArgumentOutOfRangeException>("by", () => clock.Advance(TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void Runaway_periodic_timer_makes_Advance_throw_after_a_million_callbacks()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromTicks(1), TimeSpan.FromTicks(1));

        Assert.Throws<InvalidOperationException>(() => clock.Advance(TimeSpan.FromSeconds(1)));

        Assert.Equal(1_000_000, fired);
        Assert.Equal(Start.AddTicks(1_000_000), clock.GetUtcNow());
    }

    [Fact]
    public async Task Timers_created_and_disposed_on_other_threads_during_Advance_are_neither_lost_nor_broken()
    {
        const int Threads = 4;
        const int TimersPerThread = 500;
        var clock = new ManualTimeProvider(Start);
        var kept = new int[Threads * TimersPerThread];
        var keptTimers = new ITimer[Threads * TimersPerThread];

        // Dedicated threads and a common start line, so the workers really overlap the Advance loop.
        using var startLine = new Barrier(Threads + 1);
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                startLine.SignalAndWait();
                for (var i = 0; i < TimersPerThread; i++)
                {
                    var slot = (t * TimersPerThread) + i;
                    var due = TimeSpan.FromMilliseconds(1 + (slot % 50));
                    keptTimers[slot] = clock.CreateTimer(_ => Interlocked.Increment(ref kept[slot]), null, due, Timeout.InfiniteTimeSpan);
                    clock.CreateTimer(_ => { }, null, due, TimeSpan.FromMilliseconds(1)).Dispose();
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var all = Task.WhenAll(workers);
        startLine.SignalAndWait();
        for (var step = 0; step < 1_000_000 && !all.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        await all;

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(Threads * TimersPerThread, clock.ActiveTimerCount);
        Assert.All(kept, count => Assert.Equal(1, count));
        foreach (var timer in keptTimers)
        {
            timer.Dispose();
        }
        Assert.Equal(0, clock.ActiveTimerCount);
    }
}
