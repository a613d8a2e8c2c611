using System.Data.Common;

namespace Billing.Runtime.Storage.Sql;

/// <summary>Grain state in the <c>grain_state</c> table, one row per (grain, state name), versioned.</summary>
public sealed class SqlGrainStorage(SqlDatabase database, TimeProvider time) : IGrainStorage
{
    private const string Where = "grain_type = @grain_type AND grain_key = @grain_key AND state_name = @state_name";

    public Task<StoredGrainState?> ReadAsync(GrainId grain, string stateName, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand($"SELECT payload, version FROM grain_state WHERE {Where}")
                    .WithGrain(grain).With("state_name", stateName);
                await using var reader = await command.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return null;
                }

                var payload = await reader.IsDBNullAsync(0, ct) ? null : reader.GetString(0);
                return new StoredGrainState(payload, reader.GetInt64(1));
            },
            cancellationToken);

    public Task<long> WriteAsync(GrainId grain, string stateName, string payloadJson, long expectedVersion, CancellationToken cancellationToken)
    {
        var sql = expectedVersion == 0
            ? $"""
               INSERT INTO grain_state (grain_type, grain_key, state_name, payload, version, updated_at_ms)
               VALUES (@grain_type, @grain_key, @state_name, {database.JsonValue("payload")}, 1, @now_ms)
               ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING
               """
            : $"UPDATE grain_state SET payload = {database.JsonValue("payload")}, version = version + 1, updated_at_ms = @now_ms WHERE {Where} AND version = @expected";
        return ExecuteVersionedAsync(grain, stateName, sql, payloadJson, expectedVersion, cancellationToken);
    }

    public async Task<long> ClearAsync(GrainId grain, string stateName, long expectedVersion, CancellationToken cancellationToken)
    {
        if (expectedVersion != 0)
        {
            var sql = $"UPDATE grain_state SET payload = NULL, version = version + 1, updated_at_ms = @now_ms WHERE {Where} AND version = @expected";
            return await ExecuteVersionedAsync(grain, stateName, sql, null, expectedVersion, cancellationToken);
        }

        // Nothing was ever read: clearing is a no-op unless someone else has written meanwhile.
        var stored = await ReadAsync(grain, stateName, cancellationToken);
        return stored is null ? 0 : throw new InconsistentStateException(grain, stateName, 0, stored.Version);
    }

    private Task<long> ExecuteVersionedAsync(GrainId grain, string stateName, string sql, string? payload, long expectedVersion, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(sql)
                    .WithGrain(grain).With("state_name", stateName).With("payload", payload)
                    .With("now_ms", time.GetUtcNow().ToUnixTimeMilliseconds()).With("expected", expectedVersion);
                if (await command.ExecuteNonQueryAsync(ct) == 1)
                {
                    return expectedVersion + 1;
                }

                var stored = await ReadVersionAsync(connection, grain, stateName, ct);
                throw new InconsistentStateException(grain, stateName, expectedVersion, stored);
            },
            cancellationToken);

    private static async Task<long> ReadVersionAsync(DbConnection connection, GrainId grain, string stateName, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand($"SELECT version FROM grain_state WHERE {Where}")
            .WithGrain(grain).With("state_name", stateName);
        return await command.ScalarInt64Async(cancellationToken) ?? 0;
    }
}
