using Billing.Domain.Payments;

namespace Billing.Domain.Tests.Invoicing;

/// <summary>Seed 004's bank transfer: the issuer's IBAN and BIC and a structured (RF) reference on the invoice.</summary>
public sealed class InvoiceBankTransferTests
{
    private static readonly InvoiceIssuer WithBank = new(
        "Vigint SAS", ["12 Rue de la Paix", "75002 Paris", "France"], "FR12345678901", Iban.Parse("FR14 2004 1010 0505 0001 3M02 606"), Bic.Parse("PSSTFRPPPAR"));

    [Fact]
    public void AnIssuerWithABankAccountAsksForATransferQuotingTheInvoicesRfReference()
    {
        var invoice = Bank(InvoiceSamples.Seed());

        var html = InvoiceHtmlRenderer.Render(invoice);

        Assert.Equal("RF60VIGINT20240001", invoice.PaymentReference!.Value.Value);
        Assert.Contains(
            "Please pay by bank transfer to Vigint SAS, IBAN FR14 2004 1010 0505 0001 3M02 606, BIC PSSTFRPPPAR, quoting the reference RF60 VIGI NT20 2400 01.",
            html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIssuerWithoutABankAccountKeepsAskingForTheInvoiceNumber()
    {
        var invoice = InvoiceSamples.Seed();

        Assert.Null(invoice.PaymentReference);
        Assert.Contains("Please quote invoice number VIGINT-2024-0001 with your payment.", InvoiceHtmlRenderer.Render(invoice), StringComparison.Ordinal);
    }

    [Fact]
    public void ANumberTooLongForAnRfReferenceIsQuotedAsItIs()
    {
        var invoice = Bank(InvoiceSamples.Seed(number: "VIGINT-2024-ABCDEFGHIJKLMNOP-0001"));

        Assert.Null(invoice.PaymentReference);
        Assert.Contains("BIC PSSTFRPPPAR, quoting invoice number VIGINT-2024-ABCDEFGHIJKLMNOP-0001.", InvoiceHtmlRenderer.Render(invoice), StringComparison.Ordinal);
    }

    [Fact]
    public void ABicWithoutAnIbanIsRefused()
    {
        var error = Assert.Throws<CatalogValidationException>(() => new InvoiceIssuer("Vigint SAS", [], null, iban: null, bic: Bic.Parse("PSSTFRPPPAR")));

        Assert.Contains("issuer_bic", error.Message, StringComparison.Ordinal);
    }

    private static Invoice Bank(Invoice invoice) =>
        new(invoice.Id, invoice.Number, WithBank, invoice.Customer, invoice.Shop, invoice.Period, invoice.IssueDate, invoice.Terms, invoice.Priced);
}
