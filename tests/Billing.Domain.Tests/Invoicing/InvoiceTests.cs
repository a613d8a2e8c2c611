using NodaTime;

namespace Billing.Domain.Tests.Invoicing;

public sealed class InvoiceTests
{
    [Fact]
    public void TheSeedInvoiceAddsUpAndIsDueFourteenDaysAfterIssue()
    {
        var invoice = InvoiceSamples.Seed();

        Assert.Equal(new LocalDate(2024, 1, 22), invoice.DueDate);
        Assert.Equal(new Money(3.50m, Currency.EUR), invoice.Priced.Subtotal);
        Assert.Equal(new Money(0.74m, Currency.EUR), invoice.Priced.Vat); // 0.735 rounds half-even to 0.74
        Assert.Equal(new Money(4.24m, Currency.EUR), invoice.Priced.Total);
        Assert.Equal(Currency.EUR, invoice.Currency);
        Assert.Equal(BillingCycle.Weekly, invoice.Period.Cycle);
    }

    [Theory]
    [InlineData(0, "2024-01-08")]
    [InlineData(30, "2024-02-07")]
    [InlineData(365, "2025-01-07")]
    public void PaymentTermsPutTheDueDateNetDaysAfterIssue(int netDays, string due)
    {
        var terms = new PaymentTerms(netDays);

        Assert.Equal(due, terms.DueDate(new LocalDate(2024, 1, 8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(366)]
    public void PaymentTermsAreBetweenZeroAndAYear(int netDays)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PaymentTerms(netDays));
    }

    [Fact]
    public void AnInvoiceIsNotIssuedBeforeItsPeriodStarts()
    {
        var seed = InvoiceSamples.Seed();

        var error = Assert.Throws<InvariantViolationException>(() => new Invoice(
            seed.Id, seed.Number, seed.Issuer, seed.Customer, seed.Shop, seed.Period, new LocalDate(2023, 12, 31), seed.Terms, seed.Priced));

        Assert.Contains("dates out of order", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "VIGINT-2024-0001")]
    [InlineData("inv 1", "VIGINT-2024-0001")]
    [InlineData("inv_1", " ")]
    [InlineData("inv_1", "VIGINT\n2024")]
    public void IdsAndNumbersAreChecked(string id, string number)
    {
        var seed = InvoiceSamples.Seed();

        Assert.ThrowsAny<ArgumentException>(() => new Invoice(
            id, number, seed.Issuer, seed.Customer, seed.Shop, seed.Period, seed.IssueDate, seed.Terms, seed.Priced));
    }

    [Fact]
    public void AnInvoiceHasAtMostMaxLines()
    {
        var lines = Enumerable.Range(0, Invoice.MaxLines + 1).Select(i => InvoiceSamples.Line($"Endpoint {i}", 1, 0.01m, 0.01m)).ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() => InvoiceSamples.WithLines(Currency.EUR, 0.21m, lines));
    }

    [Fact]
    public void AnIssuerListsEveryFieldError()
    {
        var error = Assert.Throws<CatalogValidationException>(() => new InvoiceIssuer(" ", ["a", "b", "c", "d", "e", "f", ""], new string('V', 33)));

        Assert.Equal(
            ["issuer_name is required", "issuer_address must have at most 6 lines", "issuer_address is required", "issuer_vat_id must be at most 32 characters (got 33)"],
            error.Errors.Select(e => e.Message));
    }

    [Fact]
    public void IssuersAreEqualByContentAndKeepTheirOwnCopyOfTheAddress()
    {
        var address = new List<string> { "12 Rue de la Paix", "75002 Paris", "France" };
        var issuer = new InvoiceIssuer("Vigint SAS", address, "FR12345678901");
        address.Add("Europe");

        Assert.Equal(InvoiceSamples.Issuer, issuer);
        Assert.Equal(3, issuer.AddressLines.Count);
        Assert.NotEqual(InvoiceSamples.Issuer, new InvoiceIssuer("Vigint SAS", ["12 Rue de la Paix"], "FR12345678901"));
    }

    [Fact]
    public void CustomerAndShopAreCopiedFromTheCatalog()
    {
        var profile = new CustomerProfile("cus_0123456789abcdefghij", "Acme Corporation", "billing@acme.com", Currency.EUR, "Europe/Paris", 0.21m);
        var shop = new Shop(InvoiceSamples.ShopId, profile.Id, "Main shop");

        Assert.Equal(new InvoiceCustomer("Acme Corporation", "billing@acme.com"), InvoiceCustomer.From(profile));
        Assert.Equal(new InvoiceShop(InvoiceSamples.ShopId, "Main shop"), InvoiceShop.From(shop));
        Assert.Throws<ArgumentException>(() => new InvoiceShop("cus_0123456789abcdefghij", "Main shop"));
        Assert.Throws<CatalogValidationException>(() => new InvoiceCustomer("", "billing@acme.com"));
    }
}
