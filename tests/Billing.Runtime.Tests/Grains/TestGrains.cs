using System.Collections.Concurrent;
using Billing.Runtime.Core;

namespace Billing.Runtime.Tests.Grains;

/// <summary>What grains report to the test that drives them (registered as a singleton per silo).</summary>
public sealed class Probe
{
    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<(string Grain, string Reminder, TickStatus Status)> Ticks { get; } = new();

    public int Deactivations;
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task<int> GetAsync();
}

/// <summary>Reads, yields, writes: any two calls running at once would lose an update.</summary>
public sealed class CounterGrain : Grain, ICounterGrain
{
    private int value;

    public async Task<int> IncrementAsync()
    {
        var read = value;
        await Task.Yield();
        value = read + 1;
        return value;
    }

    public Task<int> GetAsync() => Task.FromResult(value);
}

internal sealed class CounterGrainProxy(GrainReference grain) : ICounterGrain
{
    public Task<int> IncrementAsync() => grain.InvokeAsync((ICounterGrain g) => g.IncrementAsync());

    public Task<int> GetAsync() => grain.InvokeAsync((ICounterGrain g) => g.GetAsync());
}

public sealed class CounterState
{
    public int Value { get; set; }
}

public interface IStoredCounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task<int> GetAsync();

    Task<long> GetEtagAsync();

    Task ClearAsync();
}

[GrainType("stored-counter")]
public sealed class StoredCounterGrain([PersistentState("counter")] IPersistentState<CounterState> counter) : Grain, IStoredCounterGrain
{
    public async Task<int> IncrementAsync()
    {
        var read = counter.State.Value;
        await Task.Yield();
        counter.State.Value = read + 1;
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(counter.State.Value);

    public Task<long> GetEtagAsync() => Task.FromResult(counter.Etag);

    public Task ClearAsync() => counter.ClearStateAsync();
}

internal sealed class StoredCounterGrainProxy(GrainReference grain) : IStoredCounterGrain
{
    public Task<int> IncrementAsync() => grain.InvokeAsync((IStoredCounterGrain g) => g.IncrementAsync());

    public Task<int> GetAsync() => grain.InvokeAsync((IStoredCounterGrain g) => g.GetAsync());

    public Task<long> GetEtagAsync() => grain.InvokeAsync((IStoredCounterGrain g) => g.GetEtagAsync());

    public Task ClearAsync() => grain.InvokeAsync((IStoredCounterGrain g) => g.ClearAsync());
}

public static class TestGrainRegistration
{
    public static GrainRuntimeBuilder AddTestGrains(this GrainRuntimeBuilder builder) =>
        builder
            .AddGrain<ICounterGrain, CounterGrain>(r => new CounterGrainProxy(r))
            .AddGrain<IStoredCounterGrain, StoredCounterGrain>(r => new StoredCounterGrainProxy(r))
            .AddGrain<ITurnGrain, TurnGrain>(r => new TurnGrainProxy(r))
            .AddGrain<IReentrantTurnGrain, ReentrantTurnGrain>(r => new ReentrantTurnGrainProxy(r))
            .AddGrain<ILifecycleGrain, LifecycleGrain>(r => new LifecycleGrainProxy(r))
            .AddGrain<IReminderGrain, ReminderGrain>(r => new ReminderGrainProxy(r));
}
