using System.Data.Common;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Audit;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Security;

/// <summary>An operator key as listed: never its secret nor its hash.</summary>
public sealed record OperatorKeyView(string Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>What authentication needs of an operator key.</summary>
public sealed record StoredOperatorKey(string Id, string Name, OperatorRole Role, byte[] KeyHash, bool IsRevoked);

/// <summary>
/// Operator keys in <c>operator_keys</c>: created with a fresh secret whose SHA-256 alone is
/// stored, listed, and revoked (kept, with the revocation time). Creating and revoking write their
/// audit row in the same transaction.
/// </summary>
public sealed class OperatorKeyStore(SqlDatabase database, AuditLog audit, TimeProvider time)
{
    public const int MaxPageSize = 500;
    public const string AuditResource = "operator-keys";

    private const string Columns = "id, name, role, prefix, created_at_ms, revoked_at_ms";
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A new key (its secret returned once) and its row, inserted with its audit row.</summary>
    public Task<(OperatorKeyView View, string Key)> CreateAsync(string name, OperatorRole role, CancellationToken cancellationToken)
    {
        var (prefix, key) = OperatorKeyFormat.Generate();
        var view = new OperatorKeyView(CatalogIds.New(CatalogIds.OperatorKey), name, role.ToText(), prefix, Now(), null);
        return database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var command = connection.CreateCommand(
                        $"INSERT INTO operator_keys ({Columns}, key_hash) VALUES (@id, @name, @role, @prefix, @created_at_ms, NULL, @key_hash)", transaction)
                    .With("id", view.Id).With("name", name).With("role", view.Role).With("prefix", prefix)
                    .With("created_at_ms", view.CreatedAt.ToUnixTimeMilliseconds()).With("key_hash", ApiKeyFormat.Hash(key));
                await command.ExecuteNonQueryAsync(ct);
                await audit.AppendAsync(connection, transaction, new AuditRecord("OperatorKeyCreated", AuditResource, view.Id, null, ToJson(view)), ct);
                await transaction.CommitAsync(ct);
                return (view, key);
            },
            cancellationToken);
    }

    /// <summary>Revokes the key (keeping the first revocation time); null when there is no such key. Revoking again writes no second audit row.</summary>
    public Task<(OperatorKeyView View, string Prefix)?> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        if (!CatalogIds.IsWellFormed(id, CatalogIds.OperatorKey))
        {
            return Task.FromResult<(OperatorKeyView, string)?>(null);
        }

        return database.WriteAsync<(OperatorKeyView, string)?>(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                if (await ReadAsync(connection, transaction, id, ct) is not { } before)
                {
                    return null;
                }

                if (before.RevokedAt is not null)
                {
                    return (before, before.Prefix);
                }

                var after = before with { RevokedAt = Now() };
                await using var command = connection.CreateCommand("UPDATE operator_keys SET revoked_at_ms = @now_ms WHERE id = @id", transaction)
                    .With("id", id).With("now_ms", after.RevokedAt!.Value.ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(ct);
                await audit.AppendAsync(connection, transaction, new AuditRecord("OperatorKeyRevoked", AuditResource, id, ToJson(before), ToJson(after)), ct);
                await transaction.CommitAsync(ct);
                return (after, before.Prefix);
            },
            cancellationToken);
    }

    public Task<OperatorKeyView?> GetAsync(string id, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(id, CatalogIds.OperatorKey)
            ? database.ReadAsync((connection, ct) => ReadAsync(connection, null, id, ct), cancellationToken)
            : Task.FromResult<OperatorKeyView?>(null);

    /// <summary>Keys in creation order, at most <paramref name="limit"/>, after the key <paramref name="afterId"/> when given.</summary>
    public Task<IReadOnlyList<OperatorKeyView>> ListAsync(string? afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var after = afterId is null ? string.Empty : "WHERE (created_at_ms, id) > (SELECT created_at_ms, id FROM operator_keys WHERE id = @after)";
        return database.QueryListAsync(
            $"SELECT {Columns} FROM operator_keys {after} ORDER BY created_at_ms, id LIMIT @limit",
            c => afterId is null ? c.With("limit", limit) : c.With("limit", limit).With("after", afterId),
            ReadView,
            cancellationToken);
    }

    public Task<StoredOperatorKey?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            "SELECT id, name, role, key_hash, revoked_at_ms FROM operator_keys WHERE prefix = @prefix",
            c => c.With("prefix", prefix),
            r => new StoredOperatorKey(
                r.GetString(0), r.GetString(1), r.GetString(2) == OperatorRoles.Admin ? OperatorRole.Admin : OperatorRole.Viewer,
                r.GetFieldValue<byte[]>(3), !r.IsDBNull(4)),
            cancellationToken);

    public static string? ToJson(OperatorKeyView view) => AuditJson.Serialize(view, Json);

    private static async Task<OperatorKeyView?> ReadAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand($"SELECT {Columns} FROM operator_keys WHERE id = @id", transaction).With("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadView(reader) : null;
    }

    private static OperatorKeyView ReadView(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
            r.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)));

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}
