namespace Billing.Domain;

/// <summary>The invoice page's only style sheet, inlined so the page needs nothing else to print.</summary>
internal static class InvoiceHtmlStyle
{
    public const string Css = """
        * { box-sizing: border-box; }
        body { margin: 0; background: #f4f5f7; color: #1f2328; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        .invoice { max-width: 820px; margin: 2rem auto; padding: 2.5rem; background: #fff; border: 1px solid #d8dee4; border-radius: 6px; }
        header, .parties { display: flex; justify-content: space-between; gap: 2rem; margin-bottom: 2rem; }
        h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
        h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: #57606a; margin: 0 0 .5rem; }
        p { margin: 0 0 .2rem; }
        .muted { color: #57606a; }
        dl { display: grid; grid-template-columns: auto auto; gap: .15rem 1.5rem; margin: 0; }
        dt { color: #57606a; }
        dd { margin: 0; text-align: right; }
        table { width: 100%; border-collapse: collapse; }
        th, td { padding: .5rem .6rem; border-bottom: 1px solid #d8dee4; text-align: left; vertical-align: top; }
        thead th { background: #f6f8fa; font-weight: 600; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tfoot th { text-align: right; font-weight: 400; }
        tfoot th, tfoot td { border-bottom: none; }
        tfoot .total th, tfoot .total td { font-weight: 700; border-top: 2px solid #1f2328; }
        footer { margin-top: 2rem; color: #57606a; font-size: .9rem; }
        @page { size: A4; margin: 18mm; }
        @media print {
          body { background: #fff; font-size: 10.5pt; }
          .invoice { max-width: none; margin: 0; padding: 0; border: none; border-radius: 0; }
          thead th { background: none; }
          thead { display: table-header-group; }
          tr { break-inside: avoid; }
        }
        """;
}
