using System.Collections.Concurrent;
using Billing.Domain;
using Billing.Silo.Auth;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Security;

/// <summary>
/// Resolves the credential of an admin request: an operator key (<c>bk_op_…</c>, checked against its
/// stored hash in constant time) or the configured admin key, which stays the bootstrap admin.
/// Found operator keys are remembered for <c>Billing:ApiKeys:CacheSeconds</c> (at most 5 s), so a
/// key revoked on another silo stops working here within that time; the silo that revokes it
/// forgets it at once. Unknown prefixes are not remembered: each costs a lookup, and failed
/// authentications are rate-limited per client address before they get here.
/// </summary>
public sealed class OperatorAuthenticator(AdminKeyVerifier adminKey, OperatorKeyStore store, TimeProvider time, IOptions<ApiKeyOptions> options)
{
    /// <summary>Operators are few; beyond this many remembered keys the rest are looked up each time.</summary>
    public const int MaxCachedKeys = 1_000;

    private readonly TimeSpan freshFor = TimeSpan.FromSeconds(options.Value.CacheSeconds);
    private readonly ConcurrentDictionary<string, (StoredOperatorKey Key, long FetchedAt)> known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (OperatorRole Role, long FetchedAt)> liveIds = new(StringComparer.Ordinal);

    /// <summary>Null for a missing, malformed, unknown, revoked or wrong credential.</summary>
    public async ValueTask<OperatorPrincipal?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!OperatorKeyFormat.TryGetPrefix(presented, out var prefix))
        {
            return await adminKey.VerifyAsync(presented) ? OperatorPrincipal.AdminKey : null;
        }

        var stored = await FindAsync(prefix, cancellationToken);
        return stored is { IsRevoked: false } && ApiKeyFormat.Verify(presented, stored.KeyHash)
            ? new OperatorPrincipal(stored.Id, stored.Name, stored.Role)
            : null;
    }

    /// <summary>The role of the operator key <paramref name="id"/> while it exists unrevoked (for sessions started with it), else null; remembered as long as keys are.</summary>
    public async ValueTask<OperatorRole?> LiveRoleAsync(string id, CancellationToken cancellationToken)
    {
        if (liveIds.TryGetValue(id, out var hit) && time.GetElapsedTime(hit.FetchedAt) < freshFor)
        {
            return hit.Role;
        }

        var startedAt = time.GetTimestamp();
        var stored = await store.GetAsync(id, cancellationToken);
        if (stored is not { RevokedAt: null } || freshFor == TimeSpan.Zero)
        {
            liveIds.TryRemove(id, out _);
        }

        if (stored is not { RevokedAt: null })
        {
            return null;
        }

        var role = stored.Role == OperatorRoles.Admin ? OperatorRole.Admin : OperatorRole.Viewer;
        if (freshFor > TimeSpan.Zero && (liveIds.Count < MaxCachedKeys || liveIds.ContainsKey(id)))
        {
            liveIds[id] = (role, startedAt);
        }

        return role;
    }

    /// <summary>Drops what this silo remembers of a key, so its revocation takes effect here at once.</summary>
    public void Forget(string id, string prefix)
    {
        known.TryRemove(prefix, out _);
        liveIds.TryRemove(id, out _);
    }

    private async ValueTask<StoredOperatorKey?> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        if (known.TryGetValue(prefix, out var hit) && time.GetElapsedTime(hit.FetchedAt) < freshFor)
        {
            return hit.Key;
        }

        // Stamped before the query: an entry is never trusted longer than the cache time after the data was read.
        var startedAt = time.GetTimestamp();
        var stored = await store.FindByPrefixAsync(prefix, cancellationToken);
        if (stored is null || stored.IsRevoked || freshFor == TimeSpan.Zero)
        {
            known.TryRemove(prefix, out _);
        }
        else if (known.Count < MaxCachedKeys || known.ContainsKey(prefix))
        {
            known[prefix] = (stored, startedAt);
        }

        return stored;
    }
}
