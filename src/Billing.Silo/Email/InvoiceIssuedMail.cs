using System.Data.Common;
using Billing.Silo.Invoicing;

namespace Billing.Silo.Email;

/// <summary>E-mail's part in issuing an invoice: its mail is queued in the close's transaction, with the invoice or not at all (nothing while e-mail is off).</summary>
public sealed class InvoiceIssuedMail(EmailOutbox outbox) : IInvoiceIssueParticipant
{
    public async Task<Action<InvoiceDocument>?> JoinAsync(DbConnection connection, DbTransaction transaction, InvoiceDocument draft, long nowMs, CancellationToken cancellationToken)
    {
        await outbox.EnqueueInvoiceIssuedAsync(connection, transaction, draft, cancellationToken);
        return null;
    }
}
