using System.Text;

namespace Billing.Domain;

/// <summary>
/// The invoice as CSV for accounting systems, in the Vigint layout: three two-column header rows,
/// the four-column line table, then (an extension of that layout) Subtotal, "VAT (21%)" and Total
/// rows with the amount in the last column. RFC 4180: CRLF after every record, fields holding a
/// comma, quote or line break are quoted with inner quotes doubled. Text fields starting with
/// = + - @ or a tab or carriage return get a leading apostrophe, so a spreadsheet never runs them
/// as formulas; numeric columns are left alone (a credit of -1.00 stays a number).
/// </summary>
public static class InvoiceCsvRenderer
{
    public const string LineBreak = "\r\n";

    /// <summary>Unit prices show at least four decimals (0.0010), more when they carry them.</summary>
    public const int UnitPriceMinDecimals = 4;

    private const string FormulaStarts = "=+-@\t\r";
    private const string CharactersNeedingQuotes = ",\"\r\n";

    public static string Render(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var csv = new StringBuilder();
        var currency = invoice.Currency.Code;
        Row(csv, TextField("Invoice Number"), TextField(invoice.Number));
        Row(csv, TextField("Client Name"), TextField(invoice.Customer.Name));
        Row(csv, TextField("Billing Period"), TextField(InvoiceFigures.PeriodRange(invoice.Period)));
        Row(csv, TextField("Service"), TextField("Quantity"), TextField($"Unit Price ({currency})"), TextField($"Total ({currency})"));
        foreach (var line in invoice.Priced.Lines)
        {
            Row(
                csv,
                TextField(line.Service),
                InvoiceFigures.Quantity(line.Quantity, groupThousands: false),
                InvoiceFigures.UnitPrice(line.UnitPrice, UnitPriceMinDecimals, groupThousands: false),
                InvoiceFigures.Amount(line.Amount, groupThousands: false));
        }

        var priced = invoice.Priced;
        Row(csv, TextField("Subtotal"), string.Empty, string.Empty, InvoiceFigures.Amount(priced.Subtotal, groupThousands: false));
        Row(csv, TextField($"VAT ({InvoiceFigures.VatPercent(priced.VatRate)})"), string.Empty, string.Empty, InvoiceFigures.Amount(priced.Vat, groupThousands: false));
        Row(csv, TextField("Total"), string.Empty, string.Empty, InvoiceFigures.Amount(priced.Total, groupThousands: false));
        return csv.ToString();
    }

    /// <summary>A text field made safe: formula starts neutralised, then quoted when RFC 4180 needs it. For other CSV exports too.</summary>
    public static string TextField(string value)
    {
        var safe = value.Length > 0 && FormulaStarts.Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(CharactersNeedingQuotes) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }

    private static void Row(StringBuilder csv, params string[] fields)
    {
        csv.AppendJoin(',', fields).Append(LineBreak);
    }
}
