using NodaTime;

namespace Billing.Domain.Payments;

/// <summary>
/// A numbered credit note: money given back on one paid invoice (a refund, whole or part), with its
/// own number from its own gapless sequence (see <see cref="CreditNoteNumberFormat"/>), the reason,
/// its lines and its net, VAT (at the invoice's rate, split by <see cref="CreditNoteRules"/>) and
/// total, all positive amounts credited. Every instance satisfies subtotal = Σ lines, total =
/// subtotal + VAT &gt; 0, one currency throughout.
/// </summary>
public sealed record CreditNote
{
    public CreditNote(
        string id, string number, string invoiceId, string invoiceNumber, InvoiceIssuer issuer, InvoiceCustomer customer, InvoiceShop shop,
        LocalDate issueDate, string reason, decimal vatRate, IReadOnlyList<InvoiceLine> lines, CreditNoteAmounts amounts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceNumber);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(amounts);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason.Length, CreditNoteRules.MaxReasonLength, nameof(reason));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lines.Count, Invoice.MaxLines, nameof(lines));
        (Id, Number, InvoiceId, InvoiceNumber, Issuer, Customer, Shop) = (id, number, invoiceId, invoiceNumber, issuer, customer, shop);
        (IssueDate, Reason, VatRate, Lines, Amounts) = (issueDate, reason, vatRate, lines, amounts);
        CheckInvariants();
    }

    public string Id { get; }

    /// <summary>e.g. CN-2026-000001.</summary>
    public string Number { get; }

    public string InvoiceId { get; }

    public string InvoiceNumber { get; }

    public InvoiceIssuer Issuer { get; }

    public InvoiceCustomer Customer { get; }

    public InvoiceShop Shop { get; }

    public LocalDate IssueDate { get; }

    public string Reason { get; }

    /// <summary>The credited invoice's VAT rate.</summary>
    public decimal VatRate { get; }

    public IReadOnlyList<InvoiceLine> Lines { get; }

    public CreditNoteAmounts Amounts { get; }

    public Currency Currency => Amounts.Currency;

    private void CheckInvariants()
    {
        if (Lines.Any(line => line.Currency != Currency) || Amounts.Vat.Currency != Currency)
        {
            throw new InvariantViolationException($"Credit note {Number} mixes currencies; it is in {Currency}.");
        }

        var linesSum = Money.Sum(Lines.Select(line => line.Amount), Currency);
        if (linesSum != Amounts.Subtotal || Amounts.Total.Amount <= 0m || Amounts.Subtotal.IsNegative || Amounts.Vat.IsNegative
            || !Amounts.Subtotal.IsRounded || !Amounts.Vat.IsRounded)
        {
            throw new InvariantViolationException(
                $"Credit note {Number} does not add up: lines {linesSum}, subtotal {Amounts.Subtotal}, VAT {Amounts.Vat}, total {Amounts.Total}.");
        }
    }
}
