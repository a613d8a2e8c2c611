using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Invoicing;
using NodaTime;

namespace Billing.Silo.Payments;

/// <summary>
/// Refunding a paid invoice, whole or part. The credit note is issued first, with its refund pending
/// (<see cref="CreditNoteBook"/>), then the provider that took the invoice's payment is asked under
/// a key derived from the note, then its answer is recorded: a crash or a timeout in between leaves
/// the note with its refund pending, and the retry (the same Idempotency-Key) asks the provider the
/// same question and gets the first refund back, so the money goes back once. An invoice paid by
/// hand (bank transfer: its period's reference names no provider payment) is refunded by hand: the
/// note records a manual refund and no provider is asked.
/// </summary>
public sealed partial class InvoiceRefunds(
    CreditNoteBook book, PeriodStandings standings, PaymentStore payments, IPaymentProvider provider, TimeProvider time, ILogger<InvoiceRefunds> logger)
{
    public async Task<CreditNoteResult> RefundAsync(string invoiceId, decimal? amount, string reason, string? idempotencyKey, string requestHash, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && await book.ByKeyAsync(invoiceId, idempotencyKey, cancellationToken) is { } earlier)
        {
            return earlier.RequestHash == requestHash
                ? new CreditNoteResult(CreditNoteOutcome.Replayed, await ResumeAsync(earlier, cancellationToken))
                : new CreditNoteResult(CreditNoteOutcome.IdempotencyKeyReused, earlier);
        }

        if (await standings.InvoicedPeriodAsync(invoiceId, cancellationToken) is not { } period)
        {
            return new CreditNoteResult(CreditNoteOutcome.InvoiceNotFound, null);
        }

        // Paid is final, and its reference was written with it: what it names stays true while the note is issued.
        var method = period.Row.Status == PeriodStatus.Paid.ToText() ? await MethodAsync(period.Row.PaymentReference, cancellationToken) : RefundMethod.Manual;
        var request = new CreditNoteRequest(invoiceId, amount, reason, idempotencyKey, requestHash, method);
        var result = await book.IssueAsync(request, Instant.FromDateTimeOffset(time.GetUtcNow()), cancellationToken);
        if (result.Note is { } issued && result.Outcome is CreditNoteOutcome.Issued or CreditNoteOutcome.Replayed)
        {
            if (result.Outcome == CreditNoteOutcome.Issued)
            {
                LogIssued(logger, issued.Document.Number, invoiceId, issued.Document.Total, issued.Refund.Method);
            }

            return result with { Note = await ResumeAsync(issued, cancellationToken) };
        }

        return result;
    }

    /// <summary>
    /// The provider's payment that paid the invoice, when the period's reference names one this
    /// silo's provider took and that succeeded; otherwise the money went by hand and comes back so.
    /// </summary>
    private async Task<RefundMethod> MethodAsync(string? paymentReference, CancellationToken cancellationToken)
    {
        if (paymentReference is null || await payments.FindByProviderRefAsync(paymentReference, cancellationToken) is not { Status: StoredPaymentStatus.Succeeded } payment
            || payment.Provider == PlanPurchases.FreeProvider)
        {
            return RefundMethod.Manual;
        }

        return payment.Provider == provider.Name
            ? new RefundMethod(provider.Name, paymentReference)
            : throw new RefundProviderUnavailableException(payment.Provider, provider.Name);
    }

    /// <summary>Asks the provider for a refund still pending (first time or retry, the same key), records its answer and reads the note back.</summary>
    private async Task<IssuedCreditNote> ResumeAsync(IssuedCreditNote note, CancellationToken cancellationToken)
    {
        if (!note.Refund.AwaitsProvider || note.Refund.RefundRef is not null)
        {
            return note;
        }

        var refund = note.Refund;
        if (refund.Provider != provider.Name || refund.PaymentRef is null)
        {
            throw new RefundProviderUnavailableException(refund.Provider ?? "(none)", provider.Name);
        }

        var outcome = await provider.RefundAsync(refund.PaymentRef, refund.Amount, PaymentIdempotencyKey.ForCreditNote(note.Document.Id), cancellationToken);
        var status = outcome.Status switch
        {
            RefundStatus.Succeeded => RefundRow.Succeeded,
            RefundStatus.Failed => RefundRow.Failed,
            _ => RefundRow.Pending,
        };
        await book.RecordRefundAsync(note.Document.Id, status, outcome.RefundRef, outcome.FailureCode, Instant.FromDateTimeOffset(time.GetUtcNow()), cancellationToken);
        LogRefunded(logger, note.Document.Number, provider.Name, status, outcome.RefundRef);
        return await book.NoteAsync(note.Document.Id, cancellationToken)
            ?? throw new InvariantViolationException($"Credit note {note.Document.Id} vanished while its refund was recorded.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Credit note {Number} issued on invoice {InvoiceId} for {Total} ({Method} refund)")]
    private static partial void LogIssued(ILogger logger, string number, string invoiceId, decimal total, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "Credit note {Number}: {Provider} answered the refund {Status} ({RefundRef})")]
    private static partial void LogRefunded(ILogger logger, string number, string provider, string status, string? refundRef);
}

/// <summary>The invoice was paid through another provider than this silo's: its refund cannot be asked here.</summary>
public sealed class RefundProviderUnavailableException(string paidWith, string configured)
    : Exception($"The invoice was paid through {paidWith}, but this silo refunds through {configured}; refund it there, or by hand.");
