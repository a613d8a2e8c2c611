using System.Data.Common;
using System.Globalization;
using Billing.Silo.Storage.Sql;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Billing.Silo.Storage.Reminders;

/// <summary>
/// Orleans' reminder table in the embedded database (<c>orleans_reminders</c>, orleans script 0001), so a
/// reminder registered before a restart still fires after it. Rows are keyed by the cluster's
/// ServiceId, as Orleans' own providers key them, so two services sharing one file never see each
/// other's reminders. The ETag is a per-service counter (<c>orleans_reminder_versions</c>) rather
/// than a per-row one: a reminder removed and registered again gets a larger ETag than it ever had,
/// so a stale <see cref="IGrainReminder"/> can never remove its successor.
/// </summary>
/// <remarks>
/// Connections are opened per call by <see cref="SqlDatabase"/>, so there is nothing to stop:
/// <see cref="IReminderTable.StopAsync"/> keeps its default.
/// </remarks>
public sealed class SqliteReminderTable : IReminderTable
{
    /// <summary>Longest reminder name accepted: names are code-chosen labels, not data.</summary>
    public const int MaxReminderNameLength = 256;

    /// <summary>Longest grain id (its <c>type/key</c> text) accepted: keys are ids, not payloads.</summary>
    public const int MaxGrainIdLength = 1024;

    private const string Columns = "grain_id, reminder_name, start_at_ms, period_ms, version";

    private const string Upsert = """
        INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, grain_hash, start_at_ms, period_ms, version)
        VALUES (@service_id, @grain_id, @reminder_name, @grain_hash, @start_at_ms, @period_ms, @version)
        ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE SET
            grain_hash = excluded.grain_hash, start_at_ms = excluded.start_at_ms,
            period_ms = excluded.period_ms, version = excluded.version
        """;

    private const string NextVersion = """
        INSERT INTO orleans_reminder_versions (service_id, last_version) VALUES (@service_id, 1)
        ON CONFLICT (service_id) DO UPDATE SET last_version = last_version + 1
        RETURNING last_version
        """;

    private readonly SqlDatabase database;
    private readonly string serviceId;

    public SqliteReminderTable(SqlDatabase database, IOptions<ClusterOptions> clusterOptions)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        var id = clusterOptions.Value.ServiceId;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("ClusterOptions.ServiceId is empty: reminder rows are keyed by it.", nameof(clusterOptions));
        }

        this.database = database;
        serviceId = id;
    }

    /// <summary>
    /// Probes the table, so a database that was never migrated fails the silo's start with one clear
    /// message; otherwise Orleans would only log the failing initial reads and start without reminders.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await database.ReadAsync(
                async (connection, ct) =>
                {
                    await using var command = connection.CreateCommand("SELECT 1 FROM orleans_reminders LIMIT 0");
                    return await command.ExecuteNonQueryAsync(ct);
                },
                cancellationToken);
        }
        catch (DbException error)
        {
            throw new InvalidOperationException(
                $"The reminder table is not usable in {database.Description}; has migration 0001_orleans_reminders run? {error.Message}", error);
        }
    }

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public async Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken)
    {
        var rows = await database.QueryListAsync(
            $"SELECT {Columns} FROM orleans_reminders WHERE service_id = @service_id AND grain_id = @grain_id",
            c => c.With("service_id", serviceId).With("grain_id", grainId.ToString()),
            Map,
            cancellationToken);
        return new ReminderTableData(rows);
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    /// <summary>
    /// The rows whose grain hash is in the ring range (begin, end]; when begin &gt;= end the range
    /// wraps past uint.MaxValue (and begin == end is the whole ring). The hash is stored as its
    /// unsigned value in a 64-bit column, so plain comparisons follow the ring's order.
    /// </summary>
    public async Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        var range = begin < end
            ? "grain_hash > @begin AND grain_hash <= @end"
            : "(grain_hash > @begin OR grain_hash <= @end)";
        var rows = await database.QueryListAsync(
            $"SELECT {Columns} FROM orleans_reminders WHERE service_id = @service_id AND {range}",
            c => c.With("service_id", serviceId).With("begin", (long)begin).With("end", (long)end),
            Map,
            cancellationToken);
        return new ReminderTableData(rows);
    }

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            $"SELECT {Columns} FROM orleans_reminders WHERE service_id = @service_id AND grain_id = @grain_id AND reminder_name = @reminder_name",
            c => c.With("service_id", serviceId).With("grain_id", grainId.ToString()).With("reminder_name", reminderName),
            Map,
            cancellationToken);

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    /// <summary>
    /// Inserts or replaces the row unconditionally (the entry's own ETag is not checked, as in
    /// Orleans' providers) and returns its new ETag, larger than any this service has handed out.
    /// </summary>
    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var grainId = GrainIdText(entry.GrainId);
        var reminderName = CheckedName(entry.ReminderName);
        ArgumentOutOfRangeException.ThrowIfLessThan(entry.Period, TimeSpan.Zero, nameof(entry));
        var startAtMs = ToUnixMilliseconds(entry.StartAt);
        var version = await database.WriteAsync(
            async (connection, ct) =>
            {
                // The counter and the row move together, or an aborted upsert would burn a version
                // that a later write then hands out for a different row state.
                await using var transaction = await connection.BeginTransactionAsync(ct);
                long next;
                await using (var bump = connection.CreateCommand(NextVersion, transaction).With("service_id", serviceId))
                {
                    next = await bump.ScalarInt64Async(ct) ?? throw new InvalidOperationException("The reminder version counter returned no row.");
                }

                await using (var upsert = connection.CreateCommand(Upsert, transaction))
                {
                    upsert.With("service_id", serviceId).With("grain_id", grainId).With("reminder_name", reminderName)
                        .With("grain_hash", (long)entry.GrainId.GetUniformHashCode()).With("start_at_ms", startAtMs)
                        .With("period_ms", (long)entry.Period.TotalMilliseconds).With("version", next);
                    await upsert.ExecuteNonQueryAsync(ct);
                }

                await transaction.CommitAsync(ct);
                return next;
            },
            cancellationToken);
        return FormatETag(version);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    /// <summary>Deletes the row only while it still carries <paramref name="eTag"/>; false otherwise.</summary>
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        // An ETag this table never wrote cannot match any row.
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        var deleted = await database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                        "DELETE FROM orleans_reminders WHERE service_id = @service_id AND grain_id = @grain_id AND reminder_name = @reminder_name AND version = @version")
                    .With("service_id", serviceId).With("grain_id", grainId.ToString()).With("reminder_name", reminderName).With("version", version);
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);
        return deleted == 1;
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    /// <summary>Deletes this service's rows only; the version counter stays, so ETags keep growing.</summary>
    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("DELETE FROM orleans_reminders WHERE service_id = @service_id")
                    .With("service_id", serviceId);
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    private static ReminderEntry Map(DbDataReader reader) => new()
    {
        GrainId = GrainId.Parse(reader.GetString(0)),
        ReminderName = reader.GetString(1),
        StartAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)).UtcDateTime,
        Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
        ETag = FormatETag(reader.GetInt64(4)),
    };

    private static string FormatETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static string GrainIdText(GrainId grainId)
    {
        if (grainId.IsDefault)
        {
            throw new ArgumentException("A reminder needs a grain id.", nameof(grainId));
        }

        var text = grainId.ToString();
        return text.Length <= MaxGrainIdLength
            ? text
            : throw new ArgumentException($"Grain id is {text.Length} characters long; at most {MaxGrainIdLength} are stored.", nameof(grainId));
    }

    private static string CheckedName(string? reminderName)
    {
        ArgumentException.ThrowIfNullOrEmpty(reminderName);
        return reminderName.Length <= MaxReminderNameLength
            ? reminderName
            : throw new ArgumentException($"Reminder name is {reminderName.Length} characters long; at most {MaxReminderNameLength} are stored.", nameof(reminderName));
    }

    // Orleans hands over UTC; an Unspecified kind is taken as UTC, as its ADO.NET provider does.
    private static long ToUnixMilliseconds(DateTime value) =>
        new DateTimeOffset(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc))
            .ToUnixTimeMilliseconds();
}
