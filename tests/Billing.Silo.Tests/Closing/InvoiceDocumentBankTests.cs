using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Invoicing;
using NodaTime;

namespace Billing.Silo.Tests.Closing;

/// <summary>An issued invoice keeps the bank account it was issued with; invoices stored before bank details existed show none.</summary>
public sealed class InvoiceDocumentBankTests
{
    internal static readonly Invoice Issued = new(
        "inv_0123456789abcdefghij", "INV-2026-000042",
        new InvoiceIssuer("Billing.Orleans BV", ["Keizersgracht 1", "Amsterdam"], "NL123456789B01", Iban.Parse("NL91ABNA0417164300"), Bic.Parse("ABNANL2A")),
        new InvoiceCustomer("Acme", "billing@acme.com"), new InvoiceShop("shop_0123456789abcdefghij", "Web shop"),
        new BillingPeriod(new LocalDate(2026, 11, 1), new LocalDate(2026, 12, 1), "Europe/Amsterdam"), new LocalDate(2026, 12, 1), PaymentTerms.Default,
        new PricedInvoice([new InvoiceLine("API Calls", 1000, new Money(0.01m, Currency.EUR), new Money(10.00m, Currency.EUR))], Currency.EUR, 0.21m, RoundingPolicy.Default));

    [Fact]
    public void TheStoredDocumentKeepsTheIssuersBankAccountAndItsReference()
    {
        var json = JsonSerializer.Serialize(InvoiceDocuments.FromDomain(Issued, "cus_0123456789abcdefghij", "monthly"), InvoiceBook.DocumentJson);

        var read = InvoiceDocuments.ToDomain(InvoiceBook.ParseDocument(json));

        Assert.Equal((Iban.Parse("NL91ABNA0417164300"), Bic.Parse("ABNANL2A")), (read.Issuer.Iban, read.Issuer.Bic));
        Assert.Equal("RF54INV2026000042", read.PaymentReference!.Value.Value);
    }

    [Fact]
    public void ADocumentStoredBeforeBankDetailsReadsWithoutThem()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(InvoiceDocuments.FromDomain(Issued, "cus_0123456789abcdefghij", "monthly"), InvoiceBook.DocumentJson))!.AsObject();
        json.Remove("issuerIban");
        json.Remove("issuerBic");

        var read = InvoiceDocuments.ToDomain(InvoiceBook.ParseDocument(json.ToJsonString()));

        Assert.Null(read.Issuer.Iban);
        Assert.Null(read.PaymentReference);
    }
}
