using Billing.Runtime.Testing;
using Billing.Runtime.Tests.Grains;

namespace Billing.Runtime.Tests.Runtime;

public sealed class TurnBasedExecutionTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private TestSilo silo = null!;

    public async Task InitializeAsync()
    {
        database = TestDatabase.CreateSqlite();
        silo = await Silos.StartAsync(database, new Probe());
    }

    public async Task DisposeAsync()
    {
        await silo.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task TenThousandConcurrentCallsOverHundredKeysLoseNoUpdate()
    {
        var calls = Enumerable.Range(0, 10_000)
            .Select(i => silo.GrainFactory.GetGrain<ICounterGrain>($"counter-{i % 100}").IncrementAsync())
            .ToList();
        await Task.WhenAll(calls);

        var totals = await Task.WhenAll(Enumerable.Range(0, 100).Select(k => silo.GrainFactory.GetGrain<ICounterGrain>($"counter-{k}").GetAsync()));
        Assert.All(totals, total => Assert.Equal(100, total));
        Assert.Equal(100, silo.Runtime.ActivationCount);
        var metrics = Assert.Single(silo.Runtime.Metrics.Snapshot(), m => m.GrainType == nameof(CounterGrain));
        Assert.Equal(100, metrics.LiveActivations);
        Assert.Equal(100, metrics.TotalActivations);
        Assert.Equal(10_100, metrics.Calls);
        Assert.Equal(0, metrics.Errors);
    }

    [Fact]
    public async Task EachIncrementSeesItsOwnValueOnce()
    {
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>("sequence");
        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => grain.IncrementAsync()));
        Assert.Equal(Enumerable.Range(1, 500), results.Order());
    }

    [Fact]
    public async Task NonReentrantGrainRunsCallsOneAtATimeInArrivalOrder()
    {
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>("order");
        await Task.WhenAll(Enumerable.Range(0, 50).Select(grain.RecordAsync));

        var log = await grain.GetLogAsync();
        var expected = Enumerable.Range(0, 50).SelectMany(i => new[] { $"enter {i}", $"leave {i}" });
        Assert.Equal(expected, log);
        Assert.Equal(1, await grain.GetMaxInsideAsync());
    }

    [Fact]
    public async Task ReentrantGrainInterleavesCallsAtAwaits()
    {
        var grain = silo.GrainFactory.GetGrain<IReentrantTurnGrain>("reentrant");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var waiting = grain.WaitForAsync(gate.Task);
        await grain.OpenAsync(gate);
        await waiting;

        Assert.Equal(["wait", "open", "opened", "waited"], await grain.GetLogAsync());
        Assert.Equal(2, await grain.GetMaxInsideAsync());
    }

    [Fact]
    public async Task ReentrantGrainNeverRunsTwoThreadsAtOnce()
    {
        var grain = silo.GrainFactory.GetGrain<IReentrantTurnGrain>("no-parallelism");
        await Task.WhenAll(Enumerable.Range(0, 200).Select(grain.RecordAsync));

        var log = await grain.GetLogAsync();
        Assert.Equal(400, log.Count);
        Assert.Equal(200, log.Count(e => e.StartsWith("enter", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task NonReentrantGrainDoesNotInterleaveAWaitingCall()
    {
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>("blocked");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var waiting = grain.WaitForAsync(gate.Task);
        var opening = grain.OpenAsync(new TaskCompletionSource());
        await Task.Delay(200);
        Assert.False(opening.IsCompleted, "the second call ran while the first was still awaiting");

        gate.SetResult();
        await Task.WhenAll(waiting, opening);
        Assert.Equal(["wait", "waited", "open", "opened"], await grain.GetLogAsync());
    }

    [Fact]
    public async Task GrainExceptionReachesCallerUnchanged()
    {
        var grain = silo.GrainFactory.GetGrain<ITurnGrain>("thrower");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => grain.ThrowAsync("bad amount"));
        Assert.Equal("message", error.ParamName);
        Assert.StartsWith("bad amount", error.Message, StringComparison.Ordinal);
        var timeout = await Assert.ThrowsAsync<TimeoutException>(grain.ThrowTimeoutAsync);
        Assert.Equal("the grain's own timeout", timeout.Message);
        Assert.IsNotType<GrainCallTimeoutException>(timeout);
        var metrics = Assert.Single(silo.Runtime.Metrics.Snapshot(), m => m.GrainType == nameof(TurnGrain));
        Assert.Equal(2, metrics.Errors);
    }

    [Fact]
    public async Task FailedActivationFailsTheCallAndIsRetriedOnTheNextCall()
    {
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("broken-1");

        var first = await Assert.ThrowsAsync<InvalidOperationException>(grain.GetTotalAsync);
        var second = await Assert.ThrowsAsync<InvalidOperationException>(grain.GetTotalAsync);

        Assert.Equal("activation of broken-1 refused", first.Message);
        Assert.Equal("activation of broken-1 refused", second.Message);
        Assert.False(silo.Runtime.IsActive<ILifecycleGrain>("broken-1"));
    }

    [Fact]
    public void RejectsEmptyAndOverlongKeys()
    {
        Assert.Throws<ArgumentException>(() => silo.GrainFactory.GetGrain<ICounterGrain>(""));
        Assert.Throws<ArgumentException>(() => silo.GrainFactory.GetGrain<ICounterGrain>(new string('k', 257)));
    }
}
