using Billing.Domain;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>The operator's invoice list: any shop's or customer's, of a status, of periods starting in a month.</summary>
public sealed record AdminInvoiceQuery(string? ShopId, string? CustomerId, PeriodStatus? Status, YearMonth? PeriodMonth, string? After, int Limit);

public sealed partial class PeriodStandings
{
    /// <summary>
    /// One page in issue order and its <c>next_after</c>. Pending and overdue are told apart in each
    /// period's zone after storage narrowed the rows by due date (every zone's today is within a day
    /// of UTC's), so such a page may hold fewer than its limit and still have a next one.
    /// </summary>
    public async Task<(IReadOnlyList<(InvoiceDocument Document, PeriodStandingView? Period)> Invoices, string? NextAfter)> ListInvoicesAsync(
        AdminInvoiceQuery query, CancellationToken cancellationToken)
    {
        var utcToday = Now.InUtc().Date.ToDateOnly();
        string[] open = [PeriodStatus.Pending.ToText(), PeriodStatus.Overdue.ToText()];
        var filter = new InvoiceListFilter(query.ShopId, query.CustomerId, null, null, null, null, null);
        filter = query.Status switch
        {
            PeriodStatus.Overdue => filter with { StoredStatuses = open, DueBefore = utcToday.AddDays(1) },
            PeriodStatus.Pending => filter with { StoredStatuses = open, DueOnOrAfter = utcToday.AddDays(-1) },
            { } settled => filter with { StoredStatuses = [settled.ToText()] },
            null => filter,
        };
        if (query.PeriodMonth is { } month)
        {
            filter = filter with { PeriodFrom = month.OnDayOfMonth(1).ToDateOnly(), PeriodTo = month.OnDayOfMonth(1).PlusMonths(1).ToDateOnly() };
        }

        var rows = await store.ListInvoicesAsync(filter, query.After, query.Limit, cancellationToken);
        var page = rows.Select(r => (r.Document, Period: r.Period is { } row ? View(row) : null))
            .Where(r => query.Status is not { } status || r.Period?.Standing.Status == status)
            .ToList();
        return (page, rows.Count == query.Limit ? rows[^1].Document.Id : null);
    }
}
