namespace Billing.Domain.Tests.Invoicing;

public sealed class InvoiceHtmlRendererTests
{
    [Fact]
    public void RendersAPrintableHtml5PageWithEverythingAnInvoiceNeeds()
    {
        var html = InvoiceHtmlRenderer.Render(InvoiceSamples.Seed());

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        string[] expected =
        [
            "<title>Invoice VIGINT-2024-0001 – Vigint SAS</title>",
            "<h1>Vigint SAS</h1>", "<p>75002 Paris</p>", "<p>VAT ID: FR12345678901</p>",
            "<dt>Invoice number</dt><dd>VIGINT-2024-0001</dd>",
            "<dt>Issue date</dt><dd>2024-01-08</dd>",
            "<dt>Due date</dt><dd>2024-01-22</dd>",
            "<dt>Billing period</dt><dd>2024-01-01 to 2024-01-07</dd>",
            "<p>Acme Corporation</p>", "<p>billing@acme.com</p>", "<p>Main shop</p>", $"<p class=\"muted\">{InvoiceSamples.ShopId}</p>",
            "<th scope=\"col\">Service</th><th scope=\"col\" class=\"num\">Quantity</th><th scope=\"col\" class=\"num\">Unit price</th><th scope=\"col\" class=\"num\">Amount</th>",
            "<tr><td>RTSP Streaming</td><td class=\"num\">1,000</td><td class=\"num\">EUR 0.001</td><td class=\"num\">EUR 1.00</td></tr>",
            "<tr><td>API Calls</td><td class=\"num\">5,000</td><td class=\"num\">EUR 0.0005</td><td class=\"num\">EUR 2.50</td></tr>",
            "<th scope=\"row\" colspan=\"3\">Subtotal</th><td class=\"num\">EUR 3.50</td>",
            "<th scope=\"row\" colspan=\"3\">VAT (21%)</th><td class=\"num\">EUR 0.74</td>",
            "<tr class=\"total\"><th scope=\"row\" colspan=\"3\">Total</th><td class=\"num\">EUR 4.24</td></tr>",
            "Payment due within 14 days of the issue date, by 2024-01-22.",
        ];
        Assert.All(expected, fragment => Assert.Contains(fragment, html, StringComparison.Ordinal));
    }

    [Fact]
    public void EncodesEveryValueFromData()
    {
        var priced = new PricedInvoice([InvoiceSamples.Line("<img src=x onerror=alert(2)>", 1, 1m, 1m)], Currency.EUR, 0.21m, RoundingPolicy.Default);

        var html = InvoiceHtmlRenderer.Render(InvoiceSamples.Seed(customerName: "<script>alert(1)</script> & Co", priced: priced, shopName: "\"Shop\" 'quoted'"));

        Assert.Contains("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</p>", html, StringComparison.Ordinal);
        Assert.Contains("<td>&lt;img src=x onerror=alert(2)&gt;</td>", html, StringComparison.Ordinal);
        Assert.Contains("<p>&quot;Shop&quot; &#39;quoted&#39;</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void IsSelfContainedWithoutScriptsOrExternalResources()
    {
        var html = InvoiceHtmlRenderer.Render(InvoiceSamples.Seed());

        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">", html, StringComparison.Ordinal);
        string[] forbidden = ["<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "http:", "https:"];
        Assert.All(forbidden, fragment => Assert.DoesNotContain(fragment, html, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void UsesTheCurrencysMinorDigitsAndGroupsThousands()
    {
        var invoice = InvoiceSamples.WithLines(
            Currency.JPY, 0.1m, InvoiceSamples.Line("Tokens", 1_500_000, 0.8235m, 1_235_250m, Currency.JPY), InvoiceSamples.Line("Refund", -1, 250m, -250m, Currency.JPY));

        var html = InvoiceHtmlRenderer.Render(invoice);

        Assert.Contains("<td class=\"num\">1,500,000</td><td class=\"num\">JPY 0.8235</td><td class=\"num\">JPY 1,235,250</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">-1</td><td class=\"num\">JPY 250</td><td class=\"num\">JPY -250</td>", html, StringComparison.Ordinal);
        Assert.Contains("VAT (10%)</th><td class=\"num\">JPY 123,500</td>", html, StringComparison.Ordinal);
        Assert.Contains("Total</th><td class=\"num\">JPY 1,358,500</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvoiceWithoutLinesSaysSo()
    {
        var html = InvoiceHtmlRenderer.Render(InvoiceSamples.WithLines(Currency.EUR, 0.21m));

        Assert.Contains("No charges in this period.", html, StringComparison.Ordinal);
        Assert.Contains("Total</th><td class=\"num\">EUR 0.00</td>", html, StringComparison.Ordinal);
    }
}
