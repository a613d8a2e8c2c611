using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using Billing.Silo.TestClocks;
using NodaTime;

namespace Billing.Silo.Analytics;

/// <summary>What a group of documents of one kind, month, currency and plan came to, in minor units.</summary>
public sealed record RevenueRow(string Kind, string Month, string Currency, string? PlanId, string? PlanName, long Count, long NetMinor, long VatMinor, long GrossMinor)
{
    public const string Invoices = "invoices";
    public const string CreditNotes = "credit_notes";
    public const string PlanSales = "plan_sales";
}

/// <summary>
/// Revenue per calendar month (UTC) and currency from what was issued and paid: invoices by their
/// issue instant and the price plan their period opened with (none: the per-request default), credit
/// notes by theirs, and plans sold (succeeded purchases and renewals of token plans) by when they were
/// made. Summed by the database in integer minor units, grouped to a few rows per month, each kind
/// read through an index on its instant.
/// </summary>
public sealed class RevenueQuery(SqlDatabase database)
{
    /// <summary>The rows over <paramref name="range"/>; test-clock customers only when <paramref name="includeTestClocks"/>.</summary>
    public async Task<IReadOnlyList<RevenueRow>> RunAsync(MonthRange range, CancellationToken cancellationToken, bool includeTestClocks = false)
    {
        var fromMs = range.From.OnDayOfMonth(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant().ToUnixTimeMilliseconds();
        var toMs = range.To.PlusMonths(1).OnDayOfMonth(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant().ToUnixTimeMilliseconds();
        var rows = new List<RevenueRow>();
        foreach (var (kind, sql) in Queries(includeTestClocks))
        {
            rows.AddRange(await database.QueryListAsync(sql, c => c.With("from_ms", fromMs).With("to_ms", toMs), r => Read(kind, r), cancellationToken));
        }

        return rows;
    }

    private IEnumerable<(string Kind, string Sql)> Queries(bool includeTestClocks)
    {
        yield return (RevenueRow.Invoices, $"""
            SELECT {MonthOf("i.issued_at_ms")} AS month, i.currency, p.price_plan_id, pp.name, COUNT(*), CAST(SUM(i.subtotal_minor) AS BIGINT), CAST(SUM(i.vat_minor) AS BIGINT), CAST(SUM(i.total_minor) AS BIGINT)
            FROM invoices i
            LEFT JOIN billing_periods p ON p.shop_id = i.shop_id AND p.period_start = i.period_start
            LEFT JOIN price_plans pp ON pp.id = p.price_plan_id
            WHERE i.issued_at_ms >= @from_ms AND i.issued_at_ms < @to_ms {Real("i", includeTestClocks)}
            GROUP BY {MonthOf("i.issued_at_ms")}, i.currency, p.price_plan_id, pp.name
            """);
        yield return (RevenueRow.CreditNotes, $"""
            SELECT {MonthOf("n.issued_at_ms")} AS month, n.currency, NULL, NULL, COUNT(*), CAST(SUM(n.subtotal_minor) AS BIGINT), CAST(SUM(n.vat_minor) AS BIGINT), CAST(SUM(n.total_minor) AS BIGINT)
            FROM credit_notes n
            WHERE n.issued_at_ms >= @from_ms AND n.issued_at_ms < @to_ms {Real("n", includeTestClocks)}
            GROUP BY {MonthOf("n.issued_at_ms")}, n.currency
            """);
        yield return (RevenueRow.PlanSales, $"""
            SELECT {MonthOf("y.created_at_ms")} AS month, y.currency, y.plan_id, pl.name, COUNT(*), CAST(SUM(y.amount_minor) AS BIGINT), CAST(0 AS BIGINT), CAST(SUM(y.amount_minor) AS BIGINT)
            FROM payments y
            LEFT JOIN plans pl ON pl.id = y.plan_id
            WHERE y.status = 'succeeded' AND y.purpose IN ('plan_purchase', 'plan_renewal') AND y.created_at_ms >= @from_ms AND y.created_at_ms < @to_ms {Real("y", includeTestClocks)}
            GROUP BY {MonthOf("y.created_at_ms")}, y.currency, y.plan_id, pl.name
            """);
    }

    private static string Real(string alias, bool includeTestClocks) => includeTestClocks ? string.Empty : TestClockFilter.NotOnClock(alias);

    /// <summary>The UTC month (YYYY-MM) of a Unix-millisecond column, in the database's dialect.</summary>
    private string MonthOf(string column) => database.DialectName == "postgres"
        ? $"to_char(to_timestamp({column} / 1000) AT TIME ZONE 'UTC', 'YYYY-MM')"
        : $"strftime('%Y-%m', {column} / 1000, 'unixepoch')";

    private static RevenueRow Read(string kind, DbDataReader r) =>
        new(kind, r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
            r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7));
}
