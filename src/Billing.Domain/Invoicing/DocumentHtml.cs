using System.Net;
using System.Text;

namespace Billing.Domain;

/// <summary>
/// What the printable pages of invoices and credit notes share: the head (inline CSS, and a
/// Content-Security-Policy forbidding scripts and external resources), the issuer's block, the rows
/// of lines, and amounts. Every value that comes from data is HTML-encoded.
/// </summary>
internal static class DocumentHtml
{
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";

    /// <summary>From the doctype to the opening of the page's <c>main</c>.</summary>
    public static void AppendHead(StringBuilder html, string title) =>
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="{{ContentSecurityPolicy}}">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}}</title>
            <style>
            {{InvoiceHtmlStyle.Css}}
            </style>
            </head>
            <body>
            <main class="invoice">

            """);

    /// <summary>The header's opening and the issuer's section: name, address lines, VAT id.</summary>
    public static void AppendIssuer(StringBuilder html, InvoiceIssuer issuer)
    {
        html.Append("<header>\n<section class=\"issuer\">\n").Append($"<h1>{E(issuer.Name)}</h1>\n");
        foreach (var line in issuer.AddressLines)
        {
            html.Append($"<p>{E(line)}</p>\n");
        }

        if (issuer.VatId is not null)
        {
            html.Append($"<p>VAT ID: {E(issuer.VatId)}</p>\n");
        }
    }

    /// <summary>One table row a line: service, quantity, unit price (with the digits it carries) and amount.</summary>
    public static void AppendLineRows(StringBuilder html, IEnumerable<InvoiceLine> lines)
    {
        foreach (var line in lines)
        {
            var unitPrice = InvoiceFigures.UnitPrice(line.UnitPrice, line.Currency.MinorUnitDigits, groupThousands: true);
            html.Append($"<tr><td>{E(line.Service)}</td><td class=\"num\">{InvoiceFigures.Quantity(line.Quantity, groupThousands: true)}</td>")
                .Append($"<td class=\"num\">{E(line.Currency.Code)} {unitPrice}</td><td class=\"num\">{Amount(line.Amount)}</td></tr>\n");
        }
    }

    public static string Amount(Money amount) => $"{E(amount.Currency.Code)} {InvoiceFigures.Amount(amount, groupThousands: true)}";

    public static string E(string text) => WebUtility.HtmlEncode(text);
}
