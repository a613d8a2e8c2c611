namespace Billing.Domain.Tests.Invoicing;

public sealed class InvoiceCsvRendererTests
{
    /// <summary>Seed 004's example, record for record, each ended by CRLF as RFC 4180 asks.</summary>
    private const string SeedExample =
        "Invoice Number,VIGINT-2024-0001\r\n" +
        "Client Name,Acme Corporation\r\n" +
        "Billing Period,2024-01-01 to 2024-01-07\r\n" +
        "Service,Quantity,Unit Price (EUR),Total (EUR)\r\n" +
        "RTSP Streaming,1000,0.0010,1.00\r\n" +
        "API Calls,5000,0.0005,2.50\r\n";

    [Fact]
    public void RendersTheSeedExampleByteForByteThenTheTotals()
    {
        var csv = InvoiceCsvRenderer.Render(InvoiceSamples.Seed());

        Assert.Equal(
            SeedExample +
            "Subtotal,,,3.50\r\n" +
            "VAT (21%),,,0.74\r\n" +
            "Total,,,4.24\r\n",
            csv);
    }

    [Fact]
    public void QuotesFieldsHoldingCommasQuotesAndLineBreaks()
    {
        var csv = InvoiceCsvRenderer.Render(InvoiceSamples.Seed(customerName: "Acme, \"the\" Corporation"));

        Assert.Contains("Client Name,\"Acme, \"\"the\"\" Corporation\"\r\n", csv, StringComparison.Ordinal);
        Assert.Equal("\"two\nlines\"", InvoiceCsvRenderer.TextField("two\nlines"));
        Assert.Equal("\"a\rb\"", InvoiceCsvRenderer.TextField("a\rb"));
        Assert.Equal("plain text", InvoiceCsvRenderer.TextField("plain text"));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("a=b", "a=b")]
    public void NeutralisesSpreadsheetFormulasInTextFields(string text, string expected)
    {
        Assert.Equal(expected, InvoiceCsvRenderer.TextField(text));
    }

    [Fact]
    public void CreditLinesKeepTheirMinusSignInNumericColumnsButNotInText()
    {
        var invoice = InvoiceSamples.WithLines(
            Currency.EUR, 0.21m, InvoiceSamples.Line("API Calls", 5000, 0.0005m, 2.50m), InvoiceSamples.Line("-Proration credit", -1, 1.00m, -1.00m));

        var csv = InvoiceCsvRenderer.Render(invoice);

        Assert.Contains("\r\n'-Proration credit,-1,1.0000,-1.00\r\n", csv, StringComparison.Ordinal);
        Assert.EndsWith("Subtotal,,,1.50\r\nVAT (21%),,,0.32\r\nTotal,,,1.82\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void UnitPricesShowEveryDigitTheyCarryAndAmountsTheCurrencysDigits()
    {
        var csv = InvoiceCsvRenderer.Render(InvoiceSamples.WithLines(Currency.KWD, 0.2125m, InvoiceSamples.Line("Tokens", 1_234_567, 0.000012m, 14.81m, Currency.KWD)));

        Assert.Contains("Service,Quantity,Unit Price (KWD),Total (KWD)\r\nTokens,1234567,0.000012,14.810\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("VAT (21.25%),,,3.147\r\n", csv, StringComparison.Ordinal);
    }
}
