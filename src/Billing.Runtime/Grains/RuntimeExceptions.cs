namespace Billing.Runtime;

/// <summary>A grain call did not complete within the call timeout.</summary>
public sealed class GrainCallTimeoutException(GrainId grain, string method, TimeSpan timeout)
    : TimeoutException($"Call {method} on grain {grain} did not complete within {timeout.TotalMilliseconds:0} ms.")
{
    public GrainId Grain { get; } = grain;
}

/// <summary>A grain's mailbox is full; the caller should back off.</summary>
public sealed class GrainOverloadedException(GrainId grain, int limit)
    : InvalidOperationException($"Grain {grain} has {limit} calls queued, its limit; call rejected.");

/// <summary>The silo is shutting down (or stopped) and takes no new calls.</summary>
public sealed class SiloUnavailableException(string message) : InvalidOperationException(message);

/// <summary>
/// A state write found another version in storage than the one this activation read. The
/// activation is dropped after the call, so the next call reloads the stored state.
/// </summary>
public sealed class InconsistentStateException(GrainId grain, string stateName, long expectedVersion, long storedVersion)
    : InvalidOperationException(
        $"State '{stateName}' of grain {grain} changed underneath this activation: expected version {expectedVersion}, stored version {storedVersion}.")
{
    public long ExpectedVersion { get; } = expectedVersion;
    public long StoredVersion { get; } = storedVersion;
}

/// <summary>The database could not be opened or migrated at start.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
