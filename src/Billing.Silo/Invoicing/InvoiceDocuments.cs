using Billing.Domain;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>Between the stored document and the domain's invoice, whose constructor checks that it adds up.</summary>
public static class InvoiceDocuments
{
    public static InvoiceDocument FromDomain(Invoice invoice, string customerId, string cycle) => new(
        invoice.Id, invoice.Number, invoice.Issuer.Name, [.. invoice.Issuer.AddressLines], invoice.Issuer.VatId,
        customerId, invoice.Customer.Name, invoice.Customer.Email, invoice.Shop.Id, invoice.Shop.Name,
        invoice.Period.Start.ToDateOnly(), invoice.Period.EndExclusive.ToDateOnly(), cycle, invoice.Period.ZoneId,
        invoice.IssueDate.ToDateOnly(), invoice.DueDate.ToDateOnly(), invoice.Currency.Code, invoice.Priced.VatRate, invoice.Priced.Rounding.ToString(),
        [.. invoice.Priced.Lines.Select(l => new DocumentLine(l.Service, l.Quantity, l.UnitPrice.Amount, l.Amount.Amount))],
        invoice.Priced.Subtotal.Amount, invoice.Priced.Vat.Amount, invoice.Priced.Total.Amount, invoice.Issuer.Iban?.Value, invoice.Issuer.Bic?.Value);

    /// <summary>Rebuilds the domain invoice; throws if the stored document does not add up.</summary>
    public static Invoice ToDomain(InvoiceDocument d)
    {
        var currency = Currency.Parse(d.Currency);
        var rounding = new RoundingPolicy(Enum.Parse<RoundingMode>(d.Rounding));
        var lines = d.Lines.Select(l => new InvoiceLine(l.Service, l.Quantity, new Money(l.UnitPrice, currency), new Money(l.Amount, currency))).ToList();
        var priced = new PricedInvoice(lines, currency, d.VatRate, rounding);
        if (priced.Subtotal.Amount != d.Subtotal || priced.Vat.Amount != d.Vat || priced.Total.Amount != d.Total)
        {
            throw new InvariantViolationException($"Invoice {d.Number} does not add up as stored: {d.Subtotal} + {d.Vat} = {d.Total}, lines say {priced.Subtotal} + {priced.Vat}.");
        }

        var issue = LocalDate.FromDateOnly(d.IssueDate);
        return new Invoice(
            d.Id, d.Number, new InvoiceIssuer(
                d.IssuerName, d.IssuerAddressLines, d.IssuerVatId,
                d.IssuerIban is null ? null : Domain.Payments.Iban.Parse(d.IssuerIban), d.IssuerBic is null ? null : Domain.Payments.Bic.Parse(d.IssuerBic)), new InvoiceCustomer(d.CustomerName, d.CustomerEmail),
            new InvoiceShop(d.ShopId, d.ShopName), new BillingPeriod(LocalDate.FromDateOnly(d.PeriodStart), LocalDate.FromDateOnly(d.PeriodEndExclusive), d.TimeZone),
            issue, new PaymentTerms(Period.DaysBetween(issue, LocalDate.FromDateOnly(d.DueDate))), priced);
    }
}
