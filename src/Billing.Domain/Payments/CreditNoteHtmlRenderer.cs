using System.Net;
using System.Text;

namespace Billing.Domain.Payments;

/// <summary>
/// The credit note as one printable, self-contained HTML5 page in the invoice's style: inline CSS,
/// no scripts, no external resources, a Content-Security-Policy forbidding both; every value that
/// comes from data is HTML-encoded.
/// </summary>
public static class CreditNoteHtmlRenderer
{
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";

    public static string Render(CreditNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="{{ContentSecurityPolicy}}">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Credit note {{E(note.Number)}} – {{E(note.Issuer.Name)}}</title>
            <style>
            {{InvoiceHtmlStyle.Css}}
            </style>
            </head>
            <body>
            <main class="invoice">
            <header>
            <section class="issuer">
            <h1>{{E(note.Issuer.Name)}}</h1>

            """);
        foreach (var line in note.Issuer.AddressLines)
        {
            html.Append($"<p>{E(line)}</p>\n");
        }

        if (note.Issuer.VatId is not null)
        {
            html.Append($"<p>VAT ID: {E(note.Issuer.VatId)}</p>\n");
        }

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
        foreach (var line in note.Lines)
        {
            var unitPrice = InvoiceFigures.UnitPrice(line.UnitPrice, line.Currency.MinorUnitDigits, groupThousands: true);
            html.Append($"<tr><td>{E(line.Service)}</td><td class=\"num\">{InvoiceFigures.Quantity(line.Quantity, groupThousands: true)}</td>")
                .Append($"<td class=\"num\">{E(line.Currency.Code)} {unitPrice}</td><td class=\"num\">{Amount(line.Amount)}</td></tr>\n");
        }

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

    private static string Amount(Money amount) => $"{E(amount.Currency.Code)} {InvoiceFigures.Amount(amount, groupThousands: true)}";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
