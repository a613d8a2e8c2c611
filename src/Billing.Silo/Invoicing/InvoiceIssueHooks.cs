using System.Data.Common;

namespace Billing.Silo.Invoicing;

/// <summary>
/// Another module's part in issuing an invoice (collection: the charge of the customer's default
/// method). It runs inside the close's transaction, before the invoice is numbered, so what it
/// writes commits or rolls back with the invoice; what it answers runs after the commit with the
/// numbered invoice and must not throw (the close is already done).
/// </summary>
public interface IInvoiceIssueParticipant
{
    Task<Action<InvoiceDocument>?> JoinAsync(DbConnection connection, DbTransaction transaction, InvoiceDocument draft, long nowMs, CancellationToken cancellationToken);
}

/// <summary>
/// Told after an invoiced period was marked paid or waived, by whatever path (an operator, a bank
/// statement, a collection): another module's follow-up, such as reinstating a suspended customer.
/// </summary>
public interface IPeriodSettlementObserver
{
    Task OnSettledAsync(PeriodStandingView period, CancellationToken cancellationToken);
}
