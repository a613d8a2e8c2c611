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
    private readonly ConcurrentDictionary<string, long> liveIds = new(StringComparer.Ordinal);

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

    /// <summary>True while the operator key <paramref name="id"/> exists unrevoked (for sessions started with it), remembered as long as keys are.</summary>
    public async ValueTask<bool> IsLiveAsync(string id, CancellationToken cancellationToken)
    {
        if (liveIds.TryGetValue(id, out var fetchedAt) && time.GetElapsedTime(fetchedAt) < freshFor)
        {
            return true;
        }

        var startedAt = time.GetTimestamp();
        var live = await store.GetAsync(id, cancellationToken) is { RevokedAt: null };
        if (!live || freshFor == TimeSpan.Zero)
        {
            liveIds.TryRemove(id, out _);
        }
        else if (liveIds.Count < MaxCachedKeys || liveIds.ContainsKey(id))
        {
            liveIds[id] = startedAt;
        }

        return live;
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
