using System.Data.Common;
using Billing.Runtime.Storage.Sql;

namespace Billing.Runtime.Reminders;

/// <summary>A reminder row claimed for delivery.</summary>
internal sealed record DueReminder(GrainId Grain, string Name, long PeriodMs, string? Calendar, long FirstTickMs, long TickDueMs, int FailedAttempts, long Version);

/// <summary>The <c>reminders</c> table. Every statement that touches a claimed row checks its version, so a re-registration wins over a late delivery.</summary>
internal sealed class SqlReminderTable(SqlDatabase database)
{
    private const string Key = "grain_type = @grain_type AND grain_key = @grain_key AND reminder_name = @name";
    private const string DueColumns = "grain_type, grain_key, reminder_name, period_ms, calendar, first_tick_ms, tick_due_ms, failed_attempts, version";

    public Task UpsertAsync(GrainId grain, string name, long periodMs, string? calendar, long firstTickMs, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO reminders (grain_type, grain_key, reminder_name, period_ms, calendar, first_tick_ms, tick_due_ms, next_due_ms, failed_attempts, claimed_until_ms, version)
            VALUES (@grain_type, @grain_key, @name, @period_ms, @calendar, @first_ms, @first_ms, @first_ms, 0, 0, 1)
            ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET
                period_ms = excluded.period_ms, calendar = excluded.calendar, first_tick_ms = excluded.first_tick_ms,
                tick_due_ms = excluded.tick_due_ms, next_due_ms = excluded.next_due_ms,
                failed_attempts = 0, claimed_until_ms = 0, version = reminders.version + 1
            """,
            c => c.WithGrain(grain).With("name", name).With("period_ms", periodMs).With("calendar", calendar).With("first_ms", firstTickMs),
            cancellationToken);

    public Task DeleteAsync(GrainId grain, string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"DELETE FROM reminders WHERE {Key}", c => c.WithGrain(grain).With("name", name), cancellationToken);

    public Task<List<(string Name, long PeriodMs, string? Calendar, long FirstTickMs, long NextDueMs, int FailedAttempts)>> ListAsync(GrainId grain, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                    "SELECT reminder_name, period_ms, calendar, first_tick_ms, next_due_ms, failed_attempts FROM reminders WHERE grain_type = @grain_type AND grain_key = @grain_key ORDER BY reminder_name")
                    .WithGrain(grain);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = new List<(string, long, string?, long, long, int)>();
                while (await reader.ReadAsync(ct))
                {
                    rows.Add((reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt32(5)));
                }

                return rows;
            },
            cancellationToken);

    /// <summary>Claims up to <paramref name="limit"/> due, unclaimed reminders, oldest first, until <paramref name="claimUntilMs"/>.</summary>
    public Task<List<DueReminder>> ClaimDueAsync(long nowMs, int limit, long claimUntilMs, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                    $"""
                     UPDATE reminders SET claimed_until_ms = @until_ms
                     WHERE (grain_type, grain_key, reminder_name) IN (
                         SELECT grain_type, grain_key, reminder_name FROM reminders
                         WHERE next_due_ms <= @now_ms AND claimed_until_ms <= @now_ms
                         ORDER BY next_due_ms LIMIT @limit{database.SkipLockedClause})
                     RETURNING {DueColumns}
                     """)
                    .With("until_ms", claimUntilMs).With("now_ms", nowMs).With("limit", limit);
                return await ReadDueAsync(command, ct);
            },
            cancellationToken);

    public Task<bool> CompleteAsync(DueReminder reminder, long nextTickMs, CancellationToken cancellationToken) =>
        ExecuteVersionedAsync(
            $"UPDATE reminders SET tick_due_ms = @next_ms, next_due_ms = @next_ms, failed_attempts = 0, claimed_until_ms = 0 WHERE {Key} AND version = @version",
            reminder,
            c => c.With("next_ms", nextTickMs),
            cancellationToken);

    public Task<bool> RetryLaterAsync(DueReminder reminder, long retryAtMs, CancellationToken cancellationToken) =>
        ExecuteVersionedAsync(
            $"UPDATE reminders SET next_due_ms = @retry_ms, failed_attempts = failed_attempts + 1, claimed_until_ms = 0 WHERE {Key} AND version = @version",
            reminder,
            c => c.With("retry_ms", retryAtMs),
            cancellationToken);

    private static async Task<List<DueReminder>> ReadDueAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var due = new List<DueReminder>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueReminder(
                new GrainId(reader.GetString(0), reader.GetString(1)), reader.GetString(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt32(7), reader.GetInt64(8)));
        }

        return due;
    }

    private async Task<bool> ExecuteVersionedAsync(string sql, DueReminder reminder, Func<DbCommand, DbCommand> bind, CancellationToken cancellationToken) =>
        await ExecuteAsync(sql, c => bind(c.WithGrain(reminder.Grain).With("name", reminder.Name).With("version", reminder.Version)), cancellationToken) == 1;

    private Task<int> ExecuteAsync(string sql, Func<DbCommand, DbCommand> bind, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = bind(connection.CreateCommand(sql));
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);
}
