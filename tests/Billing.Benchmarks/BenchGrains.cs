using Billing.Runtime;
using Billing.Runtime.Core;

namespace Billing.Benchmarks;

public interface IAccumulatorGrain : IGrainWithStringKey
{
    Task<long> AddAsync(long amount);
}

/// <summary>The cheapest useful grain call: the runtime's own overhead is what is measured.</summary>
public sealed class AccumulatorGrain : Grain, IAccumulatorGrain
{
    private long total;

    public Task<long> AddAsync(long amount) => Task.FromResult(total += amount);
}

public sealed class AccumulatorState
{
    public long Total { get; set; }
}

public interface IStoredAccumulatorGrain : IGrainWithStringKey
{
    Task<long> AddAsync(long amount);
}

/// <summary>One durable state write per call: the storage round trip is what is measured.</summary>
[GrainType("bench-stored-accumulator")]
public sealed class StoredAccumulatorGrain([PersistentState("total")] IPersistentState<AccumulatorState> state) : Grain, IStoredAccumulatorGrain
{
    public async Task<long> AddAsync(long amount)
    {
        state.State.Total += amount;
        await state.WriteStateAsync();
        return state.State.Total;
    }
}

internal sealed class AccumulatorGrainProxy(GrainReference grain) : IAccumulatorGrain
{
    public Task<long> AddAsync(long amount) => grain.InvokeAsync((IAccumulatorGrain g) => g.AddAsync(amount));
}

internal sealed class StoredAccumulatorGrainProxy(GrainReference grain) : IStoredAccumulatorGrain
{
    public Task<long> AddAsync(long amount) => grain.InvokeAsync((IStoredAccumulatorGrain g) => g.AddAsync(amount));
}
