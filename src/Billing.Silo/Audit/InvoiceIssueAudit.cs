using System.Data.Common;
using System.Text.Json;
using Billing.Silo.Invoicing;

namespace Billing.Silo.Audit;

/// <summary>
/// Audits every invoice issued (a period's close, by reminder, billing run or shop close) inside
/// the close's transaction, so an invoice exists exactly when its row does. The number is given
/// when the invoice is numbered, after this row, so the row names the invoice by id.
/// </summary>
public sealed class InvoiceIssueAudit(AuditLog audit) : IInvoiceIssueParticipant
{
    public async Task<Action<InvoiceDocument>?> JoinAsync(DbConnection connection, DbTransaction transaction, InvoiceDocument draft, long nowMs, CancellationToken cancellationToken)
    {
        var after = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["invoice_id"] = draft.Id, ["customer_id"] = draft.CustomerId, ["shop_id"] = draft.ShopId,
            ["period_start"] = draft.PeriodStart, ["period_end_exclusive"] = draft.PeriodEndExclusive, ["total"] = draft.Total, ["currency"] = draft.Currency,
        });
        await audit.AppendAsync(connection, transaction, new AuditRecord("InvoiceIssued", "invoices", draft.Id, null, after), cancellationToken);
        return null;
    }
}
