using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Invoicing;

/// <summary>
/// What the operator's invoice list asks storage for. <paramref name="StoredStatuses"/> and the due
/// date bounds only narrow the rows: overdue is derived in each period's zone, so the caller decides it exactly.
/// </summary>
public sealed record InvoiceListFilter(
    string? ShopId, string? CustomerId, IReadOnlyList<string>? StoredStatuses, DateOnly? DueBefore, DateOnly? DueOnOrAfter, DateOnly? PeriodFrom, DateOnly? PeriodTo);

public sealed partial class PeriodStandingStore
{
    /// <summary>Invoices in issue order (then id), after the invoice <paramref name="afterInvoiceId"/>, each with its period.</summary>
    public Task<IReadOnlyList<(InvoiceDocument Document, PeriodStandingRow? Period)>> ListInvoicesAsync(
        InvoiceListFilter filter, string? afterInvoiceId, int limit, CancellationToken cancellationToken)
    {
        var conditions = new List<(string Sql, string Name, object? Value)>
        {
            ("i.shop_id = @shop", "shop", filter.ShopId),
            ("i.customer_id = @customer", "customer", filter.CustomerId),
            ("p.due_date < @due_before", "due_before", Iso(filter.DueBefore)),
            ("p.due_date >= @due_from", "due_from", Iso(filter.DueOnOrAfter)),
            ("i.period_start >= @period_from", "period_from", Iso(filter.PeriodFrom)),
            ("i.period_start < @period_to", "period_to", Iso(filter.PeriodTo)),
            ("(i.issued_at_ms, i.id) > (SELECT issued_at_ms, id FROM invoices WHERE id = @after)", "after", afterInvoiceId),
        };
        conditions.RemoveAll(c => c.Value is null);
        var statuses = filter.StoredStatuses ?? [];
        var where = conditions.Select(c => c.Sql).ToList();
        if (statuses.Count > 0)
        {
            where.Add($"p.status IN ({string.Join(", ", statuses.Select((_, n) => $"@status{n}"))})");
        }

        var filterSql = where.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", where);
        return database.QueryListAsync<(InvoiceDocument, PeriodStandingRow?)>(
            $"""
            SELECT {Columns}, i.document_json
            FROM invoices i LEFT JOIN billing_periods p ON p.invoice_id = i.id
            {filterSql} ORDER BY i.issued_at_ms, i.id LIMIT @limit
            """,
            c =>
            {
                c.With("limit", limit);
                foreach (var (_, name, value) in conditions)
                {
                    c.With(name, value);
                }

                for (var n = 0; n < statuses.Count; n++)
                {
                    c.With($"status{n}", statuses[n]);
                }

                return c;
            },
            r => (InvoiceBook.ParseDocument(r.GetString(DocumentOrdinal)), r.IsDBNull(0) ? null : Read(r)),
            cancellationToken);
    }

    private static string? Iso(DateOnly? date) => date is { } d ? InvoiceBook.Iso(d) : null;
}
