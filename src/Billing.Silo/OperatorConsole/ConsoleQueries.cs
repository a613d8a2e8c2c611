using Billing.Domain;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.OperatorConsole;

/// <summary>What is overdue in one currency: invoices and their total.</summary>
public sealed record OverdueTotal(string Currency, long Invoices, decimal Total);

/// <summary>
/// The console's one figure no API computes: what is overdue, summed by the database per currency
/// through <c>ix_billing_periods_unpaid_due</c>. Overdue is derived in each period's zone (see
/// <c>PeriodStandings</c>); this sum takes the invoices due before today in UTC, so within a day
/// of a zone's midnight an invoice may count a few hours early or late.
/// </summary>
public sealed class ConsoleQueries(SqlDatabase database, TimeProvider time)
{
    /// <summary>Currencies listed at most; a catalog holds a few.</summary>
    public const int MaxCurrencies = 50;

    private const string Overdue =
        """
        SELECT i.currency, COUNT(*), CAST(SUM(i.total_minor) AS BIGINT)
        FROM billing_periods p JOIN invoices i ON i.id = p.invoice_id
        WHERE p.status IN ('pending', 'overdue') AND p.invoice_id IS NOT NULL AND p.due_date < @today
        GROUP BY i.currency ORDER BY i.currency LIMIT @limit
        """;

    public Task<IReadOnlyList<OverdueTotal>> OverdueAsync(CancellationToken cancellationToken)
    {
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InUtc().Date;
        return database.QueryListAsync(
            Overdue,
            c => c.With("today", DayRange.Text(today)).With("limit", MaxCurrencies),
            r => new OverdueTotal(r.GetString(0), r.GetInt64(1), Money.FromMinorUnits(r.GetInt64(2), Currency.Parse(r.GetString(0))).Amount),
            cancellationToken);
    }
}
