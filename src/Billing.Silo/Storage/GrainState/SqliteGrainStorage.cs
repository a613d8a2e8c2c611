using System.Data.Common;
using System.Globalization;
using Billing.Silo.Storage.Sql;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Billing.Silo.Storage.GrainState;

/// <summary>
/// Orleans grain state in the embedded database (<c>orleans_grain_state</c>, orleans script 0002),
/// with the contract of Orleans' ADO.NET provider that PostgreSQL uses: the ETag is the row's
/// version, a write or clear carrying another ETag (or none, where a row exists) throws
/// <see cref="InconsistentStateException"/>, and a clear keeps the row with no payload so its
/// version keeps growing. State is serialized with the silo's <see cref="IGrainStorageSerializer"/>,
/// as the ADO.NET provider does by default. Rows are keyed by the cluster's ServiceId.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    private const string Key = "service_id = @service_id AND grain_type = @grain_type AND grain_id = @grain_id";

    private readonly SqlDatabase database;
    private readonly IGrainStorageSerializer serializer;
    private readonly IActivatorProvider activators;
    private readonly TimeProvider time;
    private readonly string serviceId;

    public SqliteGrainStorage(
        SqlDatabase database, IGrainStorageSerializer serializer, IActivatorProvider activators, TimeProvider time, IOptions<ClusterOptions> clusterOptions)
    {
        ArgumentNullException.ThrowIfNull(clusterOptions);
        var id = clusterOptions.Value.ServiceId;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("ClusterOptions.ServiceId is empty: grain state rows are keyed by it.", nameof(clusterOptions));
        }

        this.database = database ?? throw new ArgumentNullException(nameof(database));
        this.serializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        this.activators = activators ?? throw new ArgumentNullException(nameof(activators));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        serviceId = id;
    }

    /// <summary>No row: a new state and no ETag. A cleared row: a new state, but its version as the ETag.</summary>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var row = await database.QueryFirstAsync(
            $"SELECT payload, version FROM orleans_grain_state WHERE {Key}",
            c => BindKey(c, stateName, grainId),
            r => new StoredRow(r.IsDBNull(0) ? null : (byte[])r.GetValue(0), r.GetInt64(1)),
            cancellationToken);
        grainState.State = row?.Payload is { } payload ? serializer.Deserialize<T>(new BinaryData(payload)) : NewState<T>();
        grainState.ETag = row is null ? null : FormatETag(row.Version);
        grainState.RecordExists = row?.Payload is not null;
    }

    /// <summary>Inserts the first row (no ETag) or updates the row still at the ETag's version.</summary>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var payload = serializer.Serialize(grainState.State).ToArray();
        var expected = ExpectedVersion(grainState.ETag);
        var sql = expected is null
            ? """
              INSERT INTO orleans_grain_state (service_id, grain_type, grain_id, payload, version, modified_at_ms)
              VALUES (@service_id, @grain_type, @grain_id, @payload, 1, @now_ms)
              ON CONFLICT (service_id, grain_type, grain_id) DO NOTHING
              RETURNING version
              """
            : $"""
              UPDATE orleans_grain_state SET payload = @payload, version = version + 1, modified_at_ms = @now_ms
              WHERE {Key} AND version = @version
              RETURNING version
              """;
        var version = await ExecuteAsync(sql, c => BindKey(c, stateName, grainId).With("payload", payload).With("version", expected), cancellationToken);
        grainState.ETag = CheckedETag(version, "write", stateName, grainId, grainState.ETag);
        grainState.RecordExists = true;
    }

    /// <summary>Empties the row still at the ETag's version and bumps it; a grain that never wrote has nothing to clear.</summary>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (!grainState.RecordExists && string.IsNullOrWhiteSpace(grainState.ETag))
        {
            // Unread: the row (if any) decides, as in the ADO.NET provider.
            await ReadStateAsync(stateName, grainId, grainState, cancellationToken);
            if (!grainState.RecordExists)
            {
                return;
            }
        }

        var version = await ExecuteAsync(
            $"""
            UPDATE orleans_grain_state SET payload = NULL, version = version + 1, modified_at_ms = @now_ms
            WHERE {Key} AND version = @version
            RETURNING version
            """,
            c => BindKey(c, stateName, grainId).With("version", ExpectedVersion(grainState.ETag)), cancellationToken);
        grainState.ETag = CheckedETag(version, "clear", stateName, grainId, grainState.ETag);
        grainState.RecordExists = false;
        grainState.State = NewState<T>();
    }

    private Task<long?> ExecuteAsync(string sql, Func<DbCommand, DbCommand> bind, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = bind(connection.CreateCommand(sql)).With("now_ms", time.GetUtcNow().ToUnixTimeMilliseconds());
                return await command.ScalarInt64Async(ct);
            },
            cancellationToken);

    private DbCommand BindKey(DbCommand command, string stateName, GrainId grainId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        if (grainId.IsDefault)
        {
            throw new ArgumentException("Grain state needs a grain id.", nameof(grainId));
        }

        return command.With("service_id", serviceId).With("grain_type", stateName).With("grain_id", grainId.ToString());
    }

    /// <summary>The version an ETag stands for; an ETag this storage never wrote matches no row.</summary>
    private static long? ExpectedVersion(string? eTag)
    {
        if (string.IsNullOrWhiteSpace(eTag))
        {
            return null;
        }

        return long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;
    }

    /// <summary>No row came back: another writer moved the version on (or inserted first).</summary>
    private string CheckedETag(long? version, string operation, string stateName, GrainId grainId, string? eTag) =>
        version is { } written
            ? FormatETag(written)
            : throw new InconsistentStateException(
                $"Version conflict ({operation}): ServiceId={serviceId} State={stateName} GrainId={grainId} ETag={eTag ?? "none"}.", storedEtag: "unknown", currentEtag: eTag);

    private T NewState<T>() => activators.GetActivator<T>().Create();

    private static string FormatETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private sealed record StoredRow(byte[]? Payload, long Version);
}
