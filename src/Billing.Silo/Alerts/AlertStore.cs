using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Email;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Alerts;

/// <summary>An alert as stored, with its id.</summary>
public sealed record StoredAlert(string Id, Alert Alert);

/// <summary>
/// The <c>alerts</c> table. Inserting is idempotent on (kind, subject, period_key), so whoever
/// raises an alert a second time (a restarted silo, another silo, a re-check) changes nothing,
/// and only the first raise is logged.
/// </summary>
public sealed class AlertStore(SqlDatabase database, EmailOutbox emails, ILogger<AlertStore> logger)
{
    private const string Insert =
        """
        INSERT INTO alerts (id, kind, subject, period_key, threshold, observed, message, raised_at_ms)
        VALUES (@id, @kind, @subject, @period_key, @threshold, @observed, @message, @raised_at_ms)
        ON CONFLICT (kind, subject, period_key) DO NOTHING
        """;

    /// <summary>Stores the alert unless it exists; true (and logged) when it is new.</summary>
    public async Task<bool> RecordAsync(Alert alert, CancellationToken cancellationToken)
    {
        var inserted = await database.WriteAsync(
            async (connection, ct) =>
            {
                // A new cost alert's mail is queued in the alert's transaction; without mail, the insert stays a lone statement.
                await using var transaction = emails.SendsCostAlerts ? await connection.BeginTransactionAsync(ct) : null;
                await using var command = connection.CreateCommand(Insert, transaction)
                    .With("id", CatalogIds.New(CatalogIds.Alert)).With("kind", alert.Kind).With("subject", alert.Subject).With("period_key", alert.PeriodKey)
                    .With("threshold", alert.Threshold).With("observed", alert.Observed).With("message", alert.Message)
                    .With("raised_at_ms", alert.RaisedAt.ToUnixTimeMilliseconds());
                var count = await command.ExecuteNonQueryAsync(ct);
                if (transaction is not null)
                {
                    _ = count == 1 && await emails.EnqueueCostAlertAsync(connection, transaction, alert, ct);
                    await transaction.CommitAsync(ct);
                }

                return count;
            },
            cancellationToken);
        if (inserted == 1)
        {
            AlertLog.Raised(logger, alert.Kind, alert.Subject, alert.PeriodKey, alert.Message);
        }

        return inserted == 1;
    }

    /// <summary>Newest first (by the time raised, then id), through the index on raised_at_ms.</summary>
    public Task<IReadOnlyList<StoredAlert>> ListAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        var sql = "SELECT id, kind, subject, period_key, threshold, observed, message, raised_at_ms FROM alerts WHERE raised_at_ms >= @since_ms"
            + (query.Kind is null ? "" : " AND kind = @kind")
            + " ORDER BY raised_at_ms DESC, id DESC LIMIT @limit";
        return database.QueryListAsync(
            sql,
            c => (query.Kind is null ? c : c.With("kind", query.Kind))
                .With("since_ms", query.Since?.ToUnixTimeMilliseconds() ?? long.MinValue).With("limit", query.Limit),
            Read,
            cancellationToken);
    }

    private static StoredAlert Read(DbDataReader r) => new(
        r.GetString(0),
        new Alert(r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), Instant.FromUnixTimeMilliseconds(r.GetInt64(7))));
}
