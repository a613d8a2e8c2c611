using System.Text;

namespace Billing.Domain;

/// <summary>
/// The invoice as one printable, self-contained HTML5 page: inline CSS (with print rules), no
/// scripts, no external resources, and a Content-Security-Policy that forbids both. Every value
/// that comes from data is HTML-encoded. Amounts show the currency's minor digits; unit prices
/// show more digits when they carry them.
/// </summary>
public static class InvoiceHtmlRenderer
{
    public static string Render(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var html = new StringBuilder();
        DocumentHtml.AppendHead(html, $"Invoice {invoice.Number} – {invoice.Issuer.Name}");
        AppendHeader(html, invoice);
        AppendParties(html, invoice);
        AppendLines(html, invoice);
        html.Append($$"""
            <footer>
            <p>Payment due within {{invoice.Terms.NetDays}} days of the issue date, by {{InvoiceFigures.Date(invoice.DueDate)}}. {{PaymentInstruction(invoice)}}</p>
            </footer>
            </main>
            </body>
            </html>

            """);
        return html.ToString();
    }

    private static void AppendHeader(StringBuilder html, Invoice invoice)
    {
        DocumentHtml.AppendIssuer(html, invoice.Issuer);
        html.Append($$"""
            </section>
            <section class="meta">
            <h2>Invoice</h2>
            <dl>
            <dt>Invoice number</dt><dd>{{E(invoice.Number)}}</dd>
            <dt>Issue date</dt><dd>{{InvoiceFigures.Date(invoice.IssueDate)}}</dd>
            <dt>Due date</dt><dd>{{InvoiceFigures.Date(invoice.DueDate)}}</dd>
            <dt>Billing period</dt><dd>{{InvoiceFigures.PeriodRange(invoice.Period)}}</dd>
            </dl>
            </section>
            </header>

            """);
    }

    private static void AppendParties(StringBuilder html, Invoice invoice) =>
        html.Append($$"""
            <section class="parties">
            <div class="client">
            <h2>Bill to</h2>
            <p>{{E(invoice.Customer.Name)}}</p>
            <p>{{E(invoice.Customer.Email)}}</p>
            </div>
            <div class="shop">
            <h2>Shop</h2>
            <p>{{E(invoice.Shop.Name)}}</p>
            <p class="muted">{{E(invoice.Shop.Id)}}</p>
            </div>
            </section>

            """);

    private static void AppendLines(StringBuilder html, Invoice invoice)
    {
        var priced = invoice.Priced;
        html.Append("<table>\n<thead>\n<tr><th scope=\"col\">Service</th><th scope=\"col\" class=\"num\">Quantity</th>")
            .Append("<th scope=\"col\" class=\"num\">Unit price</th><th scope=\"col\" class=\"num\">Amount</th></tr>\n</thead>\n<tbody>\n");
        DocumentHtml.AppendLineRows(html, priced.Lines);

        if (priced.Lines.Count == 0)
        {
            html.Append("<tr><td colspan=\"4\" class=\"muted\">No charges in this period.</td></tr>\n");
        }

        html.Append($$"""
            </tbody>
            <tfoot>
            <tr><th scope="row" colspan="3">Subtotal</th><td class="num">{{Amount(priced.Subtotal)}}</td></tr>
            <tr><th scope="row" colspan="3">VAT ({{InvoiceFigures.VatPercent(priced.VatRate)}})</th><td class="num">{{Amount(priced.Vat)}}</td></tr>
            <tr class="total"><th scope="row" colspan="3">Total</th><td class="num">{{Amount(priced.Total)}}</td></tr>
            </tfoot>
            </table>

            """);
    }

    private static string Amount(Money amount) => DocumentHtml.Amount(amount);

    private static string E(string text) => DocumentHtml.E(text);

    private static string PaymentInstruction(Invoice invoice) => invoice.Issuer.Iban is not { } iban
        ? $"Please quote invoice number {E(invoice.Number)} with your payment."
        : $"Please pay by bank transfer to {E(invoice.Issuer.Name)}, IBAN {E(iban.Formatted)}"
            + (invoice.Issuer.Bic is { } bic ? $", BIC {E(bic.Value)}" : "")
            + (invoice.PaymentReference is { } reference
                ? $", quoting the reference {E(reference.Formatted)}."
                : $", quoting invoice number {E(invoice.Number)}.");
}
