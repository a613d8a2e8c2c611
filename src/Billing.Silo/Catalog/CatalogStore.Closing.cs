using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Catalog;

/// <summary>What closing a shop did: when it was closed (the first time), and the prefixes of the keys it revoked now.</summary>
public sealed record ShopClosure(DateTimeOffset ClosedAt, bool WasClosedBefore, IReadOnlyList<string> RevokedPrefixes);

public sealed partial class CatalogStore
{
    /// <summary>The most revoked keys one close or erasure answers (all matching keys are revoked); a shop has a handful.</summary>
    public const int MaxKeysRevokedAtOnce = 10_000;

    /// <summary>
    /// Marks the shop closed (keeping the first close time) and revokes its live keys, in one
    /// transaction; null when there is no such shop. Again: the same close time, nothing revoked.
    /// <paramref name="closedAtMs"/> dates a close that happened before today (the keys are revoked now all the same).
    /// </summary>
    public Task<ShopClosure?> CloseShopAsync(string shopId, CancellationToken cancellationToken, long? closedAtMs = null)
    {
        if (!CatalogIds.IsWellFormed(shopId, CatalogIds.Shop))
        {
            return Task.FromResult<ShopClosure?>(null);
        }

        return database.WriteAsync(
            async (connection, ct) =>
            {
                var nowMs = NowMs();
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var read = connection.CreateCommand("SELECT closed_at_ms FROM shops WHERE id = @id", transaction).With("id", shopId);
                await using var reader = await read.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return null;
                }

                var closedBeforeMs = reader.IsDBNull(0) ? (long?)null : reader.GetInt64(0);
                await reader.DisposeAsync();
                await using var close = connection.CreateCommand("UPDATE shops SET closed_at_ms = @closed_at_ms WHERE id = @id AND closed_at_ms IS NULL", transaction)
                    .With("id", shopId).With("closed_at_ms", closedAtMs ?? nowMs);
                await close.ExecuteNonQueryAsync(ct);
                var prefixes = await RevokeLiveKeysAsync(connection, transaction, "shop_id = @id", c => c.With("id", shopId), nowMs, logger, ct);
                await transaction.CommitAsync(ct);
                return new ShopClosure(DateTimeOffset.FromUnixTimeMilliseconds(closedBeforeMs ?? closedAtMs ?? nowMs), closedBeforeMs is not null, prefixes);
            },
            cancellationToken);
    }

    /// <summary>
    /// Revokes the live keys matching <paramref name="condition"/> (its parameters bound by
    /// <paramref name="bind"/>) inside <paramref name="transaction"/>, logs each, and answers their
    /// prefixes (at most <see cref="MaxKeysRevokedAtOnce"/>) for the authenticator to forget.
    /// </summary>
    internal static async Task<IReadOnlyList<string>> RevokeLiveKeysAsync(
        DbConnection connection, DbTransaction transaction, string condition, Func<DbCommand, DbCommand> bind, long nowMs, ILogger logger, CancellationToken cancellationToken)
    {
        await using var revoke = bind(connection.CreateCommand(
            $"UPDATE api_keys SET revoked_at_ms = @now_ms WHERE {condition} AND revoked_at_ms IS NULL RETURNING id, prefix", transaction).With("now_ms", nowMs));
        await using var revoked = await revoke.ExecuteReaderAsync(cancellationToken);
        var prefixes = new List<string>();
        while (prefixes.Count < MaxKeysRevokedAtOnce && await revoked.ReadAsync(cancellationToken))
        {
            CatalogLog.ApiKeyRevoked(logger, revoked.GetString(0), revoked.GetString(1));
            prefixes.Add(revoked.GetString(1));
        }

        return prefixes;
    }
}
