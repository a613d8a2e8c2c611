using NodaTime;

namespace Billing.Domain;

/// <summary>
/// A finalized invoice: numbered, dated, addressed, for one shop's billing period, with the priced
/// lines and totals. Due date = issue date + the net days of its terms. Every instance satisfies
/// due ≥ issue ≥ period start, subtotal = Σ lines, total = subtotal + VAT, one currency throughout.
/// </summary>
public sealed record Invoice
{
    public const int MaxIdLength = 64;
    public const int MaxNumberLength = 64;

    /// <summary>Bounds the size of a rendered invoice; a usage invoice has a line per service or endpoint.</summary>
    public const int MaxLines = 1000;

    public Invoice(
        string id, string number, InvoiceIssuer issuer, InvoiceCustomer customer, InvoiceShop shop,
        BillingPeriod period, LocalDate issueDate, PaymentTerms terms, PricedInvoice priced)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(priced);
        Id = RequireId(id);
        Number = RequireNumber(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priced.Lines.Count, MaxLines, nameof(priced));
        Issuer = issuer;
        Customer = customer;
        Shop = shop;
        Period = period;
        IssueDate = issueDate;
        Terms = terms;
        DueDate = terms.DueDate(issueDate);
        Priced = priced;
        CheckInvariants();
    }

    /// <summary>ASCII letters, digits, '_' and '-'; the silo chooses the scheme.</summary>
    public string Id { get; }

    /// <summary>The number printed on the invoice, e.g. INV-2025-000042 (see <see cref="InvoiceNumberFormat"/>).</summary>
    public string Number { get; }

    public InvoiceIssuer Issuer { get; }

    /// <summary>
    /// The structured reference (ISO 11649 "RF") a bank transfer quotes, from the number's letters and
    /// digits; null when the issuer takes no transfers or the number has more than 21 of them.
    /// </summary>
    public Payments.CreditorReference? PaymentReference =>
        Issuer.Iban is not null && Payments.CreditorReference.TryFromReference(string.Concat(Number.Where(char.IsAsciiLetterOrDigit)), out var reference, out _)
            ? reference
            : null;

    public InvoiceCustomer Customer { get; }

    public InvoiceShop Shop { get; }

    public BillingPeriod Period { get; }

    /// <summary>The local date the invoice was issued on, in the customer's zone.</summary>
    public LocalDate IssueDate { get; }

    public PaymentTerms Terms { get; }

    /// <summary>The last local day to pay on: <see cref="IssueDate"/> + <see cref="PaymentTerms.NetDays"/>.</summary>
    public LocalDate DueDate { get; }

    public PricedInvoice Priced { get; }

    public Currency Currency => Priced.Currency;

    private static string RequireId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return id.Length <= MaxIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? id
            : throw new ArgumentException($"An invoice id is 1 to {MaxIdLength} ASCII letters, digits, '_' or '-'.", nameof(id));
    }

    private static string RequireNumber(string number)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        return number.Length <= MaxNumberLength && !number.Any(char.IsControl)
            ? number
            : throw new ArgumentException($"An invoice number is one line of at most {MaxNumberLength} characters.", nameof(number));
    }

    private void CheckInvariants()
    {
        if (DueDate < IssueDate || IssueDate < Period.Start)
        {
            throw new InvariantViolationException(
                $"Invoice {Number}: dates out of order (period starts {Period.Start:yyyy-MM-dd}, issued {IssueDate:yyyy-MM-dd}, due {DueDate:yyyy-MM-dd}).");
        }

        if (Priced.Lines.Any(line => line.Currency != Currency) || Priced.Subtotal.Currency != Currency || Priced.Total.Currency != Currency)
        {
            throw new InvariantViolationException($"Invoice {Number} mixes currencies; it is in {Currency}.");
        }

        var linesSum = Money.Sum(Priced.Lines.Select(line => line.Amount), Currency);
        if (linesSum != Priced.Subtotal || Priced.Subtotal + Priced.Vat != Priced.Total || !Priced.Vat.IsRounded)
        {
            throw new InvariantViolationException(
                $"Invoice {Number} does not add up: lines {linesSum}, subtotal {Priced.Subtotal}, VAT {Priced.Vat}, total {Priced.Total}.");
        }
    }
}
