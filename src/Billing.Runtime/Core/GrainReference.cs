using System.Runtime.CompilerServices;

namespace Billing.Runtime.Core;

/// <summary>
/// What a grain proxy holds: the grain's type and key. Proxies turn each interface method into one
/// <see cref="InvokeAsync{TGrain,TResult}"/> with a delegate, so no reflection runs per call.
/// </summary>
public sealed class GrainReference
{
    private readonly GrainRuntime runtime;
    private readonly GrainTypeInfo type;

    internal GrainReference(GrainRuntime runtime, GrainTypeInfo type, string key)
    {
        this.runtime = runtime;
        this.type = type;
        GrainId = new GrainId(type.Name, key);
    }

    public GrainId GrainId { get; }

    public Task<TResult> InvokeAsync<TGrain, TResult>(Func<TGrain, Task<TResult>> call, [CallerMemberName] string method = "")
    {
        var item = new CallWorkItem<TGrain, TResult>(call);
        var placed = runtime.DispatchAsync(type, GrainId.Key, item);
        return WithTimeoutAsync(placed, item.Completion, method);
    }

    public Task InvokeAsync<TGrain>(Func<TGrain, Task> call, [CallerMemberName] string method = "")
    {
        var item = new CallWorkItem<TGrain>(call);
        var placed = runtime.DispatchAsync(type, GrainId.Key, item);
        return WithTimeoutAsync(placed, item.Completion, method);
    }

    private async Task<TResult> WithTimeoutAsync<TResult>(Task placed, Task<TResult> completion, string method)
    {
        await WithTimeoutAsync(placed, (Task)completion, method);
        return await completion;
    }

    private async Task WithTimeoutAsync(Task placed, Task completion, string method)
    {
        await placed;
        try
        {
            await completion.WaitAsync(runtime.CallTimeout, runtime.Time);
        }
        catch (TimeoutException) when (!completion.IsCompleted)
        {
            // Only our own timeout is translated: a TimeoutException thrown by the grain reaches the caller unchanged.
            throw new GrainCallTimeoutException(GrainId, method, runtime.CallTimeout);
        }
    }
}
