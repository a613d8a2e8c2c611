using System.Security.Cryptography;
using System.Text;
using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Invoicing;

namespace Billing.Silo.Api.Invoicing;

/// <summary>The body of <c>POST /api/v1/admin/invoices/{id}/refunds</c>: <c>amount</c> with VAT (left out: all still refundable) and why.</summary>
public sealed record RefundRequest(decimal? Amount, string? Reason)
{
    /// <summary>No invoice totals more; bounds what reaches the money arithmetic.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    public List<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (Amount is { } amount && amount is <= 0m or > MaxAmount)
        {
            errors.Add(new FieldError("amount", $"amount must be above 0 and at most {MaxAmount}, or left out to refund all that is left"));
        }

        InputRules.CheckText(errors, "reason", Reason, CreditNoteRules.MaxReasonLength, required: true);
        return errors;
    }

    /// <summary>What a retry under the same Idempotency-Key must repeat.</summary>
    public string Hash() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Amount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all"}\n{Reason?.Trim()}")));
}

/// <summary>How a credit note's money goes back: <c>method</c> provider or manual; <c>status</c> pending, succeeded, failed or manual.</summary>
public sealed record RefundResponse(
    string Method, string Status, string? Provider, string? PaymentReference, string? ProviderReference, string? FailureCode, decimal Amount, string Currency);

/// <summary>A credit note as the admin API shows it, with its refund; amounts are positive credits.</summary>
public sealed record CreditNoteResponse(
    string Id,
    string Number,
    string InvoiceId,
    string InvoiceNumber,
    string ShopId,
    string CustomerId,
    DateOnly IssueDate,
    string Reason,
    string Currency,
    IReadOnlyList<DocumentLine> Lines,
    decimal Subtotal,
    decimal VatRate,
    decimal Vat,
    decimal Total,
    RefundResponse Refund)
{
    public static CreditNoteResponse From(IssuedCreditNote note)
    {
        var (d, r) = (note.Document, note.Refund);
        return new(
            d.Id, d.Number, d.InvoiceId, d.InvoiceNumber, d.ShopId, d.CustomerId, d.IssueDate, d.Reason, d.Currency, d.Lines, d.Subtotal, d.VatRate, d.Vat, d.Total,
            new RefundResponse(r.Method, r.Status, r.Provider, r.PaymentRef, r.RefundRef, r.FailureCode, r.Amount.Amount, r.Amount.Currency.Code));
    }
}

/// <summary>An invoice's credit notes, oldest first, with what they credited in all.</summary>
public sealed record CreditNoteListResponse(string InvoiceId, decimal Credited, IReadOnlyList<CreditNoteResponse> CreditNotes);
