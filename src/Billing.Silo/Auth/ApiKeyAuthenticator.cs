using System.Collections.Concurrent;
using Billing.Domain;
using Billing.Silo.Catalog;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Auth;

/// <summary>
/// Resolves presented API keys: the checksum is checked first (a typo never reaches storage), then
/// the stored key is found by prefix and the hashes compared in constant time. Lookups are cached
/// per prefix for <see cref="ApiKeyOptions.CacheSeconds"/> (misses too, in a separate bounded map),
/// and concurrent lookups of one prefix share one query. The presented key is verified against
/// the cached hash on every call, so the cache never accepts a wrong secret.
/// </summary>
public sealed class ApiKeyAuthenticator(IApiKeyLookup lookup, TimeProvider time, IOptions<ApiKeyOptions> options, ILogger<ApiKeyAuthenticator> logger)
    : IApiKeyAuthenticator
{
    private readonly ApiKeyOptions settings = options.Value;
    private readonly TimeSpan freshFor = TimeSpan.FromSeconds(options.Value.CacheSeconds);
    private readonly ConcurrentDictionary<string, Cached<StoredApiKey>> known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cached<object?>> misses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<StoredApiKey?>> inFlight = new(StringComparer.Ordinal);
    private long lastSweepTimestamp;

    public async ValueTask<ApiKeyPrincipal?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParse(presentedKey, out var key))
        {
            return null;
        }

        var stored = await FindAsync(key.Prefix, cancellationToken);
        var matches = stored is not null && ApiKeyFormat.Verify(key.Value, stored.KeyHash);
        return matches && !stored!.IsRevoked ? new ApiKeyPrincipal(stored.KeyId, stored.ShopId, stored.CustomerId) : null;
    }

    /// <summary>Drops what this silo remembers of a prefix, so a revocation made here takes effect here at once.</summary>
    public void Forget(string prefix)
    {
        known.TryRemove(prefix, out _);
        misses.TryRemove(prefix, out _);
    }

    private ValueTask<StoredApiKey?> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        if (freshFor == TimeSpan.Zero)
        {
            return new ValueTask<StoredApiKey?>(lookup.FindByPrefixAsync(prefix, cancellationToken));
        }

        if (known.TryGetValue(prefix, out var hit) && IsFresh(hit.FetchedAt))
        {
            return new ValueTask<StoredApiKey?>(hit.Value);
        }

        if (misses.TryGetValue(prefix, out var miss) && IsFresh(miss.FetchedAt))
        {
            return new ValueTask<StoredApiKey?>((StoredApiKey?)null);
        }

        return new ValueTask<StoredApiKey?>(SharedLookup(prefix).WaitAsync(cancellationToken));
    }

    /// <summary>One query per prefix at a time, not tied to any one request, so a client hanging up fails nobody else.</summary>
    private Task<StoredApiKey?> SharedLookup(string prefix)
    {
        var completion = new TaskCompletionSource<StoredApiKey?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = inFlight.GetOrAdd(prefix, completion.Task);
        if (shared == completion.Task)
        {
            _ = LookUpAndRememberAsync(prefix, completion);
        }

        return shared;
    }

    private async Task LookUpAndRememberAsync(string prefix, TaskCompletionSource<StoredApiKey?> completion)
    {
        // Stamped before the query: an entry is never trusted longer than CacheSeconds after the data was read.
        var startedAt = time.GetTimestamp();
        try
        {
            var stored = await lookup.FindByPrefixAsync(prefix, CancellationToken.None);
            Remember(prefix, stored, startedAt);
            completion.SetResult(stored);
        }
        catch (Exception error)
        {
            completion.SetException(error);
        }
        finally
        {
            inFlight.TryRemove(new KeyValuePair<string, Task<StoredApiKey?>>(prefix, completion.Task));
        }
    }

    private void Remember(string prefix, StoredApiKey? stored, long fetchedAt)
    {
        if (stored is null || stored.IsRevoked)
        {
            known.TryRemove(prefix, out _);
            AddBounded(misses, prefix, new Cached<object?>(null, fetchedAt), settings.MaxCachedMisses);
        }
        else
        {
            misses.TryRemove(prefix, out _);
            AddBounded(known, prefix, new Cached<StoredApiKey>(stored, fetchedAt), settings.MaxCachedKeys);
        }
    }

    /// <summary>Replaces or adds an entry; a full map is swept of stale entries (at most once per period) and otherwise left as it is.</summary>
    private void AddBounded<T>(ConcurrentDictionary<string, Cached<T>> map, string prefix, Cached<T> entry, int capacity)
    {
        if (map.ContainsKey(prefix) || map.Count < capacity)
        {
            map[prefix] = entry;
            return;
        }

        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastSweepTimestamp);
        if (time.GetElapsedTime(last, now) < freshFor || Interlocked.CompareExchange(ref lastSweepTimestamp, now, last) != last)
        {
            return;
        }

        Sweep(known);
        Sweep(misses);
        if (map.Count < capacity)
        {
            map[prefix] = entry;
        }
        else
        {
            CatalogLog.ApiKeyCacheFull(logger, map.Count);
        }
    }

    private void Sweep<T>(ConcurrentDictionary<string, Cached<T>> map)
    {
        foreach (var (prefix, entry) in map)
        {
            if (!IsFresh(entry.FetchedAt))
            {
                map.TryRemove(new KeyValuePair<string, Cached<T>>(prefix, entry));
            }
        }
    }

    private bool IsFresh(long fetchedAt) => time.GetElapsedTime(fetchedAt) < freshFor;

    private sealed record Cached<T>(T Value, long FetchedAt);
}
