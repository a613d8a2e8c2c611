namespace Billing.Silo.Invoicing;

public sealed record DocumentLine(string Service, decimal Quantity, decimal UnitPrice, decimal Amount);

/// <summary>
/// An issued invoice as stored: everything its renderings show, frozen when it was issued, so a
/// customer renamed or a plan repriced later never changes an invoice already sent. The bank details
/// came later: documents issued before them have none, and show none.
/// </summary>
public sealed record InvoiceDocument(
    string Id,
    string Number,
    string IssuerName,
    IReadOnlyList<string> IssuerAddressLines,
    string? IssuerVatId,
    string CustomerId,
    string CustomerName,
    string CustomerEmail,
    string ShopId,
    string ShopName,
    DateOnly PeriodStart,
    DateOnly PeriodEndExclusive,
    string Cycle,
    string TimeZone,
    DateOnly IssueDate,
    DateOnly DueDate,
    string Currency,
    decimal VatRate,
    string Rounding,
    IReadOnlyList<DocumentLine> Lines,
    decimal Subtotal,
    decimal Vat,
    decimal Total,
    string? IssuerIban = null,
    string? IssuerBic = null)
{
    public InvoiceSummary ToSummary() => new(
        Id, Number, PeriodStart, PeriodEndExclusive.AddDays(-1), Currency, Subtotal, VatRate, Vat, Total,
        [.. Lines.Select(l => new InvoiceLineView(l.Service, l.Quantity, l.UnitPrice, l.Amount))]);
}
