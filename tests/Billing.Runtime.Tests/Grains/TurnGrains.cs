using Billing.Runtime.Core;

namespace Billing.Runtime.Tests.Grains;

/// <summary>Records when each call enters and leaves, and how many calls were inside at once.</summary>
public interface ITurnGrain : IGrainWithStringKey
{
    Task RecordAsync(int sequence);

    /// <summary>Waits for <paramref name="gate"/>; in-process calls may pass tasks.</summary>
    Task WaitForAsync(Task gate);

    Task OpenAsync(TaskCompletionSource gate);

    Task<IReadOnlyList<string>> GetLogAsync();

    Task<int> GetMaxInsideAsync();

    Task ThrowAsync(string message);

    Task ThrowTimeoutAsync();
}

public abstract class TurnGrainBase : Grain
{
    private readonly List<string> log = [];
    private int inside;
    private int maxInside;

    public async Task RecordAsync(int sequence)
    {
        Enter($"enter {sequence}");
        await Task.Delay(1);
        Leave($"leave {sequence}");
    }

    public async Task WaitForAsync(Task gate)
    {
        Enter("wait");
        await gate;
        Leave("waited");
    }

    public Task OpenAsync(TaskCompletionSource gate)
    {
        Enter("open");
        gate.SetResult();
        Leave("opened");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetLogAsync() => Task.FromResult<IReadOnlyList<string>>([.. log]);

    public Task<int> GetMaxInsideAsync() => Task.FromResult(maxInside);

    public Task ThrowAsync(string message) => throw new ArgumentException(message, nameof(message));

    public Task ThrowTimeoutAsync() => throw new TimeoutException("the grain's own timeout");

    private void Enter(string entry)
    {
        log.Add(entry);
        inside++;
        maxInside = Math.Max(maxInside, inside);
    }

    private void Leave(string entry)
    {
        inside--;
        log.Add(entry);
    }
}

public sealed class TurnGrain : TurnGrainBase, ITurnGrain;

public interface IReentrantTurnGrain : ITurnGrain;

[Reentrant]
public sealed class ReentrantTurnGrain : TurnGrainBase, IReentrantTurnGrain;

internal class TurnGrainProxy(GrainReference grain) : ITurnGrain
{
    public Task RecordAsync(int sequence) => grain.InvokeAsync((ITurnGrain g) => g.RecordAsync(sequence));

    public Task WaitForAsync(Task gate) => grain.InvokeAsync((ITurnGrain g) => g.WaitForAsync(gate));

    public Task OpenAsync(TaskCompletionSource gate) => grain.InvokeAsync((ITurnGrain g) => g.OpenAsync(gate));

    public Task<IReadOnlyList<string>> GetLogAsync() => grain.InvokeAsync((ITurnGrain g) => g.GetLogAsync());

    public Task<int> GetMaxInsideAsync() => grain.InvokeAsync((ITurnGrain g) => g.GetMaxInsideAsync());

    public Task ThrowAsync(string message) => grain.InvokeAsync((ITurnGrain g) => g.ThrowAsync(message));

    public Task ThrowTimeoutAsync() => grain.InvokeAsync((ITurnGrain g) => g.ThrowTimeoutAsync());
}

internal sealed class ReentrantTurnGrainProxy(GrainReference grain) : TurnGrainProxy(grain), IReentrantTurnGrain;
