namespace Billing.Runtime;

/// <summary>
/// A grain's durable state, loaded before <see cref="Grain.OnActivateAsync"/>. Writes are
/// optimistic: <see cref="Etag"/> is the stored version this activation last saw, and a write
/// against a newer stored version throws <see cref="InconsistentStateException"/>.
/// </summary>
public interface IPersistentState<TState> where TState : class, new()
{
    TState State { get; set; }

    /// <summary>The stored version; 0 when nothing was ever stored.</summary>
    long Etag { get; }

    /// <summary>True when storage holds a value (false before the first write and after a clear).</summary>
    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);

    Task WriteStateAsync(CancellationToken cancellationToken = default);

    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
