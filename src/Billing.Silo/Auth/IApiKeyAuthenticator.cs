namespace Billing.Silo.Auth;

/// <summary>Who an API key speaks for: the key, its shop, and the customer that pays for the shop.</summary>
public sealed record ApiKeyPrincipal(string KeyId, string ShopId, string CustomerId);

/// <summary>
/// Resolves a presented API key. Implementations verify the key's checksum before any lookup,
/// compare hashes in constant time, and cache results so the hot path rarely touches storage;
/// a revoked key stops resolving within <c>Billing:ApiKeys:CacheSeconds</c> (at most 5 s).
/// </summary>
public interface IApiKeyAuthenticator
{
    /// <summary>Null for a malformed, unknown or revoked key.</summary>
    ValueTask<ApiKeyPrincipal?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken);
}
