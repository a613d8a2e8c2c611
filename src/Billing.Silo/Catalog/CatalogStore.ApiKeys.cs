using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Catalog;

/// <summary>A key just issued: <see cref="Key"/> holds the secret, to be shown once and never stored.</summary>
public sealed record IssuedApiKey(string Id, string ShopId, string Name, ApiKey Key);

/// <summary>What storage knows of an API key: whom it speaks for, its hash, whether it is revoked.</summary>
public sealed record StoredApiKey(string KeyId, string ShopId, string CustomerId, byte[] KeyHash, bool IsRevoked);

/// <summary>The one storage query on the authentication path (a seam so tests can count lookups).</summary>
public interface IApiKeyLookup
{
    Task<StoredApiKey?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken);
}

public sealed partial class CatalogStore : IApiKeyLookup
{
    // A prefix collision needs two of 62^8 (2e14) prefixes to meet; three draws make a failure practically impossible.
    private const int MaxIssueAttempts = 3;

    /// <summary>Issues a new key for the shop; null when the shop does not exist or is closed.</summary>
    public Task<IssuedApiKey?> IssueApiKeyAsync(string shopId, string name, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(CatalogNames.Validate("name", name));
        if (!CatalogIds.IsWellFormed(shopId, CatalogIds.Shop))
        {
            return Task.FromResult<IssuedApiKey?>(null);
        }

        return database.WriteAsync(
            async (connection, ct) =>
            {
                for (var attempt = 0; attempt < MaxIssueAttempts; attempt++)
                {
                    var issued = new IssuedApiKey(CatalogIds.New(CatalogIds.ApiKey), shopId, name, ApiKeyFormat.Generate());
                    if (await TryInsertKeyAsync(connection, issued, ct))
                    {
                        CatalogLog.ApiKeyIssued(logger, issued.Id, shopId, issued.Key.Prefix);
                        return issued;
                    }

                    if (!await OpenShopExistsAsync(connection, shopId, ct))
                    {
                        return null;
                    }
                }

                throw new InvalidOperationException($"Could not draw an unused API key prefix in {MaxIssueAttempts} attempts.");
            },
            cancellationToken);
    }

    /// <summary>Marks the key revoked (keeping the first revocation time); returns its prefix, or null when no such key exists.</summary>
    public Task<string?> RevokeApiKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        if (!CatalogIds.IsWellFormed(keyId, CatalogIds.ApiKey))
        {
            return Task.FromResult<string?>(null);
        }

        return database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                        "UPDATE api_keys SET revoked_at_ms = COALESCE(revoked_at_ms, @now_ms) WHERE id = @id RETURNING prefix")
                    .With("id", keyId).With("now_ms", NowMs());
                await using var reader = await command.ExecuteReaderAsync(ct);
                var prefix = await reader.ReadAsync(ct) ? reader.GetString(0) : null;
                if (prefix is not null)
                {
                    CatalogLog.ApiKeyRevoked(logger, keyId, prefix);
                }

                return prefix;
            },
            cancellationToken);
    }

    public Task<StoredApiKey?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken) =>
        ReadOneAsync(
            """
            SELECT k.id, k.shop_id, s.customer_id, k.key_hash, k.revoked_at_ms
            FROM api_keys k JOIN shops s ON s.id = k.shop_id
            WHERE k.prefix = @prefix
            """,
            c => c.With("prefix", prefix),
            r => new StoredApiKey(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<byte[]>(3), !r.IsDBNull(4)),
            cancellationToken);

    public Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken) =>
        ReadOneAsync("SELECT value FROM silo_settings WHERE name = @name", c => c.With("name", name), r => r.GetString(0), cancellationToken);

    /// <summary>Adds a setting unless it exists; false when another silo (or an earlier start) got there first.</summary>
    public async Task<bool> TryAddSettingAsync(string name, string value, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "INSERT INTO silo_settings (name, value, updated_at_ms) VALUES (@name, @value, @now_ms) ON CONFLICT (name) DO NOTHING",
            c => c.With("name", name).With("value", value),
            cancellationToken) == 1;

    private static void ThrowIfInvalid(IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new CatalogValidationException("API key", errors);
        }
    }

    /// <summary>Inserts the key if its shop exists and its prefix is unused; false otherwise.</summary>
    private async Task<bool> TryInsertKeyAsync(DbConnection connection, IssuedApiKey issued, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(
                """
                INSERT INTO api_keys (id, shop_id, name, prefix, key_hash, created_at_ms)
                SELECT @id, @shop_id, @name, @prefix, @key_hash, @now_ms WHERE EXISTS (SELECT 1 FROM shops WHERE id = @shop_id AND closed_at_ms IS NULL)
                ON CONFLICT (prefix) DO NOTHING
                """)
            .With("id", issued.Id).With("shop_id", issued.ShopId).With("name", issued.Name).With("prefix", issued.Key.Prefix)
            .With("key_hash", ApiKeyFormat.Hash(issued.Key.Value)).With("now_ms", NowMs());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<bool> OpenShopExistsAsync(DbConnection connection, string shopId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("SELECT COUNT(*) FROM shops WHERE id = @id AND closed_at_ms IS NULL").With("id", shopId);
        return await command.ScalarInt64Async(cancellationToken) == 1;
    }
}
