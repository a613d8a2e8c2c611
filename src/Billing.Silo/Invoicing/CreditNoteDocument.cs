using Billing.Domain;
using Billing.Domain.Payments;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// An issued credit note as stored: everything its renderings show, frozen when it was issued, taken
/// from the credited invoice's document (issuer, customer, shop, currency, VAT rate) so a later
/// rename changes neither. One line credits the invoice's net; all amounts are positive credits.
/// </summary>
public sealed record CreditNoteDocument(
    string Id,
    string Number,
    string InvoiceId,
    string InvoiceNumber,
    string IssuerName,
    IReadOnlyList<string> IssuerAddressLines,
    string? IssuerVatId,
    string CustomerId,
    string CustomerName,
    string CustomerEmail,
    string ShopId,
    string ShopName,
    DateOnly IssueDate,
    string Reason,
    string Currency,
    decimal VatRate,
    IReadOnlyList<DocumentLine> Lines,
    decimal Subtotal,
    decimal Vat,
    decimal Total)
{
    /// <summary>A note crediting <paramref name="amounts"/> of <paramref name="invoice"/>, its number still to be drawn.</summary>
    public static CreditNoteDocument Draft(InvoiceDocument invoice, string id, DateOnly issueDate, string reason, CreditNoteAmounts amounts)
    {
        var net = amounts.Subtotal.Amount;
        return new CreditNoteDocument(
            id, "(draft)", invoice.Id, invoice.Number, invoice.IssuerName, invoice.IssuerAddressLines, invoice.IssuerVatId,
            invoice.CustomerId, invoice.CustomerName, invoice.CustomerEmail, invoice.ShopId, invoice.ShopName, issueDate, reason,
            invoice.Currency, invoice.VatRate, [new DocumentLine($"Refund of invoice {invoice.Number}", 1m, net, net)], net, amounts.Vat.Amount, amounts.Total.Amount);
    }

    /// <summary>The invoice's net and VAT, as a credit note's rules take them.</summary>
    public static CreditNoteAmounts AmountsOf(InvoiceDocument invoice)
    {
        var currency = Domain.Currency.Parse(invoice.Currency);
        return new CreditNoteAmounts(new Money(invoice.Subtotal, currency), new Money(invoice.Vat, currency));
    }

    /// <summary>Rebuilds the domain's credit note; throws if the stored document does not add up.</summary>
    public CreditNote ToDomain()
    {
        var currency = Domain.Currency.Parse(Currency);
        var amounts = new CreditNoteAmounts(new Money(Subtotal, currency), new Money(Vat, currency));
        if (amounts.Total.Amount != Total)
        {
            throw new InvariantViolationException($"Credit note {Number} does not add up as stored: {Subtotal} + {Vat} ≠ {Total}.");
        }

        return new CreditNote(
            Id, Number, InvoiceId, InvoiceNumber, new InvoiceIssuer(IssuerName, IssuerAddressLines, IssuerVatId), new InvoiceCustomer(CustomerName, CustomerEmail),
            new InvoiceShop(ShopId, ShopName), LocalDate.FromDateOnly(IssueDate), Reason, VatRate,
            [.. Lines.Select(l => new InvoiceLine(l.Service, l.Quantity, new Money(l.UnitPrice, currency), new Money(l.Amount, currency)))], amounts);
    }
}
