using Billing.Runtime.Testing;
using Billing.Runtime.Tests.Grains;

namespace Billing.Runtime.Tests.Runtime;

public sealed class TimeoutAndLifecycleTests : IAsyncLifetime
{
    private readonly ManualTimeProvider clock = new(Silos.Epoch);
    private readonly Probe probe = new();
    private TestDatabase database = null!;
    private TestSilo silo = null!;

    public async Task InitializeAsync()
    {
        database = TestDatabase.CreateSqlite();
        silo = await Silos.StartAsync(database, probe, clock);
    }

    public async Task DisposeAsync()
    {
        await silo.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task CallThatRunsLongerThanThirtySecondsTimesOutWithGrainCallTimeoutException()
    {
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>("slow");
        var never = new TaskCompletionSource();

        var call = grain.WaitForAsync(never.Task);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => call);
        Assert.Equal("Call WaitForAsync on grain TurnGrain/slow did not complete within 30000 ms.", error.Message);
        never.SetResult();
    }

    [Fact]
    public async Task IdleActivationIsCollectedAfterFifteenMinutes()
    {
        var counter = silo.GrainFactory.GetGrain<ICounterGrain>("idle");
        await counter.IncrementAsync();

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.True(silo.Runtime.IsActive<ICounterGrain>("idle"));
        clock.Advance(TimeSpan.FromMinutes(1)); // the collector's tick at 15 minutes is the last thing this move fires

        await Eventually.TrueAsync(() => !silo.Runtime.IsActive<ICounterGrain>("idle"), "idle collection");
        Assert.Equal(1, await counter.IncrementAsync());
    }

    [Fact]
    public async Task CollectionAgeLimitAttributeOverridesTheDefault()
    {
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("short-lived");
        await grain.AddAsync(7);

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True(silo.Runtime.IsActive<ILifecycleGrain>("short-lived"));

        // Exactly to the collector's tick at 5 minutes, and no further while the deactivation runs: its
        // OnDeactivateAsync gets ShutdownTimeoutMs (20 s) of this clock, and a move past that would
        // cancel the state write (as a 20 s stall would in production) and with it the deactivation's event.
        clock.Advance(TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(() => probe.Events.Contains("deactivate short-lived IdleCollection"), "collection after 5 minutes");
        Assert.Contains("activate short-lived total=7", await ActivateAndReadEventsAsync(grain));
    }

    [Fact]
    public async Task BusyActivationIsNotCollected()
    {
        var counter = silo.GrainFactory.GetGrain<ICounterGrain>("busy");
        for (var minute = 0; minute < 30; minute++)
        {
            await counter.IncrementAsync();
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.True(silo.Runtime.IsActive<ICounterGrain>("busy"));
        Assert.Equal(30, await counter.GetAsync());
    }

    [Fact]
    public async Task DeactivateOnIdleRunsOnDeactivateAndNextCallReactivates()
    {
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("asked");
        await grain.AddAsync(3);
        await grain.DeactivateSoonAsync();

        await Eventually.TrueAsync(() => probe.Events.Contains("deactivate asked DeactivateOnIdleRequested"), "deactivation");
        Assert.Equal(3, await grain.GetTotalAsync());
        Assert.Equal(2, probe.Events.Count(e => e.StartsWith("activate asked", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TimerTicksRunAsTurnsWithoutOverlapAndStopOnDeactivation()
    {
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("timed");
        var timersBefore = clock.ActiveTimerCount;
        await grain.StartTimerAsync(TimeSpan.FromSeconds(10), TimeSpan.Zero);

        for (var tick = 1; tick <= 3; tick++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            var expected = tick;
            await Eventually.TrueAsync(async () => await grain.GetTimerTicksAsync() == expected, $"timer tick {expected}");
        }

        await grain.DeactivateSoonAsync();
        await Eventually.TrueAsync(() => !silo.Runtime.IsActive<ILifecycleGrain>("timed"), "deactivation");
        await Eventually.TrueAsync(() => clock.ActiveTimerCount == timersBefore, $"timers back to {timersBefore}, now {clock.ActiveTimerCount}");
    }

    private async Task<List<string>> ActivateAndReadEventsAsync(ILifecycleGrain grain)
    {
        await grain.GetTotalAsync();
        return [.. probe.Events];
    }
}
