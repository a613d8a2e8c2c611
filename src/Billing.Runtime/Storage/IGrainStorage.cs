namespace Billing.Runtime.Storage;

/// <summary>A stored state row: its JSON payload (null after a clear) and its version.</summary>
public sealed record StoredGrainState(string? PayloadJson, long Version);

/// <summary>
/// Versioned grain-state rows. Versions only grow: a clear leaves a tombstone with a new version,
/// so a writer holding a version from before the clear can never succeed by accident.
/// </summary>
public interface IGrainStorage
{
    Task<StoredGrainState?> ReadAsync(GrainId grain, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes when the stored version equals <paramref name="expectedVersion"/>; returns the new version.</summary>
    Task<long> WriteAsync(GrainId grain, string stateName, string payloadJson, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Clears when the stored version equals <paramref name="expectedVersion"/>; returns the tombstone's version.</summary>
    Task<long> ClearAsync(GrainId grain, string stateName, long expectedVersion, CancellationToken cancellationToken);
}
