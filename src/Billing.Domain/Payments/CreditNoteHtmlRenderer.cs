using System.Text;

namespace Billing.Domain.Payments;

/// <summary>
/// The credit note as one printable, self-contained HTML5 page in the invoice's style: inline CSS,
/// no scripts, no external resources, a Content-Security-Policy forbidding both; every value that
/// comes from data is HTML-encoded.
/// </summary>
public static class CreditNoteHtmlRenderer
{
    public static string Render(CreditNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var html = new StringBuilder();
        DocumentHtml.AppendHead(html, $"Credit note {note.Number} – {note.Issuer.Name}");
        DocumentHtml.AppendIssuer(html, note.Issuer);
        html.Append($$"""
            </section>
            <section class="meta">
            <h2>Credit note</h2>
            <dl>
            <dt>Credit note number</dt><dd>{{E(note.Number)}}</dd>
            <dt>Issue date</dt><dd>{{InvoiceFigures.Date(note.IssueDate)}}</dd>
            <dt>Credits invoice</dt><dd>{{E(note.InvoiceNumber)}}</dd>
            </dl>
            </section>
            </header>
            <section class="parties">
            <div class="client">
            <h2>Credit to</h2>
            <p>{{E(note.Customer.Name)}}</p>
            <p>{{E(note.Customer.Email)}}</p>
            </div>
            <div class="shop">
            <h2>Shop</h2>
            <p>{{E(note.Shop.Name)}}</p>
            <p class="muted">{{E(note.Shop.Id)}}</p>
            </div>
            </section>
            <table>
            <thead>
            <tr><th scope="col">Description</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Unit price</th><th scope="col" class="num">Amount</th></tr>
            </thead>
            <tbody>

            """);
        DocumentHtml.AppendLineRows(html, note.Lines);

        html.Append($$"""
            </tbody>
            <tfoot>
            <tr><th scope="row" colspan="3">Subtotal credited</th><td class="num">{{Amount(note.Amounts.Subtotal)}}</td></tr>
            <tr><th scope="row" colspan="3">VAT ({{InvoiceFigures.VatPercent(note.VatRate)}})</th><td class="num">{{Amount(note.Amounts.Vat)}}</td></tr>
            <tr class="total"><th scope="row" colspan="3">Total credited</th><td class="num">{{Amount(note.Amounts.Total)}}</td></tr>
            </tfoot>
            </table>
            <footer>
            <p>Reason: {{E(note.Reason)}}</p>
            <p>This credit note reduces invoice {{E(note.InvoiceNumber)}} by {{Amount(note.Amounts.Total)}}.</p>
            </footer>
            </main>
            </body>
            </html>

            """);
        return html.ToString();
    }

    private static string Amount(Money amount) => DocumentHtml.Amount(amount);

    private static string E(string text) => DocumentHtml.E(text);
}
