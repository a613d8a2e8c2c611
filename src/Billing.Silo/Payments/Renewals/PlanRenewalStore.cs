using System.Data.Common;
using Billing.Silo.Email;
using Billing.Silo.Storage.Sql;
using Billing.Silo.TestClocks;

namespace Billing.Silo.Payments.Renewals;

/// <summary>
/// The <c>plan_renewals</c> table. A row only moves forward: scheduling names a later period end
/// than the row holds (a retried grant changes nothing), and every other change names the status
/// and period it expects, so a late writer (the sweep on another silo, a retried attempt) finds
/// the row moved and changes nothing.
/// </summary>
public sealed class PlanRenewalStore(SqlDatabase database, EmailOutbox emails)
{
    public const int MaxBatchSize = 1_000;

    private const string Columns = "customer_id, plan_id, period_end_ms, status, ended_reason, attempts, first_failed_at_ms, next_attempt_at_ms, updated_at_ms";

    /// <summary>
    /// Schedules the renewal of the period ending at <paramref name="periodEnd"/> (due then), unless
    /// the row already holds that period or a later one; true when it did. Buying the plan again after
    /// renewal was turned off or lapsed schedules it again, as the new period ends later.
    /// </summary>
    public Task<bool> ScheduleAsync(
        string customerId, string planId, DateTimeOffset periodEnd, DateTimeOffset now, CancellationToken cancellationToken, OutgoingEmail? mail = null) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var command = connection.CreateCommand(
                    $"""
                    INSERT INTO plan_renewals ({Columns}) VALUES (@customer_id, @plan_id, @end_ms, 'scheduled', NULL, 0, NULL, @end_ms, @now_ms)
                    ON CONFLICT (customer_id) DO UPDATE SET plan_id = excluded.plan_id, period_end_ms = excluded.period_end_ms, status = 'scheduled',
                        ended_reason = NULL, attempts = 0, first_failed_at_ms = NULL, next_attempt_at_ms = excluded.next_attempt_at_ms, updated_at_ms = excluded.updated_at_ms
                    WHERE plan_renewals.period_end_ms < excluded.period_end_ms
                    """,
                    transaction)
                    .With("customer_id", customerId).With("plan_id", planId).With("end_ms", periodEnd.ToUnixTimeMilliseconds()).With("now_ms", now.ToUnixTimeMilliseconds());
                return await CommitWithAsync(transaction, await command.ExecuteNonQueryAsync(ct) == 1, mail, ct);
            },
            cancellationToken);

    public Task<StoredRenewal?> GetAsync(string customerId, CancellationToken cancellationToken) =>
        database.QueryFirstAsync($"SELECT {Columns} FROM plan_renewals WHERE customer_id = @customer_id", c => c.With("customer_id", customerId), Read, cancellationToken);

    /// <summary>Renewals whose attempt is due, oldest first: for the sweep, after a lost reminder; test-clock customers' are their clock's.</summary>
    public Task<IReadOnlyList<string>> DueAsync(long nowMs, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"SELECT customer_id FROM plan_renewals r WHERE status = 'scheduled' AND next_attempt_at_ms <= @now_ms {TestClockFilter.NotOnClock("r")} ORDER BY next_attempt_at_ms LIMIT @limit",
            c => c.With("now_ms", nowMs).With("limit", Math.Clamp(limit, 1, MaxBatchSize)), r => r.GetString(0), cancellationToken);

    /// <summary>A failed attempt: the count, the first failure, and when the next is due.</summary>
    public Task<bool> RecordFailureAsync(
        StoredRenewal renewal, int attempts, DateTimeOffset firstFailedAt, DateTimeOffset nextAttemptAt, DateTimeOffset now, OutgoingEmail? mail, CancellationToken cancellationToken) =>
        UpdateAsync(
            renewal, RenewalStatus.Scheduled, null, now, mail, cancellationToken,
            ", attempts = @attempts, first_failed_at_ms = @first_failed_at_ms, next_attempt_at_ms = @next_at_ms",
            c => c.With("attempts", attempts).With("first_failed_at_ms", firstFailedAt.ToUnixTimeMilliseconds()).With("next_at_ms", nextAttemptAt.ToUnixTimeMilliseconds()));

    /// <summary>Moves the next attempt (an outage, or a debit still processing) without counting an attempt.</summary>
    public Task<bool> DeferAsync(StoredRenewal renewal, DateTimeOffset nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(renewal, RenewalStatus.Scheduled, null, now, null, cancellationToken, ", next_attempt_at_ms = @next_at_ms",
            c => c.With("next_at_ms", nextAttemptAt.ToUnixTimeMilliseconds()));

    /// <summary>Ends the renewal (lapsed, cancelled) after <paramref name="attempts"/> attempts, for <paramref name="reason"/>.</summary>
    public Task<bool> EndAsync(
        StoredRenewal renewal, RenewalStatus to, string reason, int attempts, DateTimeOffset now, CancellationToken cancellationToken, OutgoingEmail? mail = null) =>
        UpdateAsync(renewal, to, reason, now, mail, cancellationToken, ", attempts = @attempts", c => c.With("attempts", attempts));

    /// <summary>The customer turns renewal back on before the period ends: the row is scheduled again, due at the period's end.</summary>
    public Task<bool> ResumeAsync(StoredRenewal renewal, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(renewal, RenewalStatus.Scheduled, null, now, null, cancellationToken, ", attempts = 0, first_failed_at_ms = NULL, next_attempt_at_ms = period_end_ms", c => c);

    private Task<bool> UpdateAsync(
        StoredRenewal renewal, RenewalStatus to, string? reason, DateTimeOffset now, OutgoingEmail? mail, CancellationToken cancellationToken, string set,
        Func<DbCommand, DbCommand> bind) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var command = bind(connection.CreateCommand(
                    $"""
                    UPDATE plan_renewals SET status = @to, ended_reason = @reason, updated_at_ms = @now_ms{set}
                    WHERE customer_id = @customer_id AND status = @from AND period_end_ms = @end_ms AND attempts = @seen_attempts
                    """,
                    transaction)
                    .With("to", StoredRenewal.StatusName(to)).With("reason", reason).With("now_ms", now.ToUnixTimeMilliseconds())
                    .With("customer_id", renewal.CustomerId).With("from", StoredRenewal.StatusName(renewal.Status))
                    .With("end_ms", renewal.PeriodEnd.ToUnixTimeMilliseconds()).With("seen_attempts", renewal.Attempts));
                return await CommitWithAsync(transaction, await command.ExecuteNonQueryAsync(ct) == 1, mail, ct);
            },
            cancellationToken);

    // The mail reports this change: it is queued with it, or not at all.
    private async Task<bool> CommitWithAsync(DbTransaction transaction, bool changed, OutgoingEmail? mail, CancellationToken ct)
    {
        if (changed && mail is not null)
        {
            await emails.EnqueueAsync(transaction.Connection!, transaction, mail, ct);
        }

        await transaction.CommitAsync(ct);
        return changed;
    }

    private static StoredRenewal Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), At(r.GetInt64(2)), StoredRenewal.ParseStatus(r.GetString(3)), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt32(5),
        r.IsDBNull(6) ? null : At(r.GetInt64(6)), At(r.GetInt64(7)), At(r.GetInt64(8)));

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
