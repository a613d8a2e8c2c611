using System.Globalization;
using System.Text;
using Billing.Contracts.Runs;

namespace Billing.Cli.Scheduler;

/// <summary>What <c>billing test</c> prints: the shop's outcome and each invoice line by line, with subtotal, VAT and total.</summary>
internal static class ShopReportText
{
    public const string DryRunNotice = "DRY RUN: nothing was written.";

    public static string Format(RunResponse run, RunShopResultResponse shop)
    {
        var text = new StringBuilder();
        if (run.DryRun)
        {
            text.Append(DryRunNotice).Append('\n');
        }

        var attempts = shop.Attempts == 1 ? "1 attempt" : string.Create(CultureInfo.InvariantCulture, $"{shop.Attempts} attempts");
        RunReportText.Line(text, $"Shop {shop.ShopId}: {shop.Status}, period {run.Period}, {attempts}.");
        if (shop.Error is not null)
        {
            RunReportText.Line(text, $"Error: {TextTable.OneLine(shop.Error)}");
        }

        if (shop.Invoices.Count == 0)
        {
            text.Append("No invoice.\n");
        }

        foreach (var invoice in shop.Invoices)
        {
            AppendInvoice(text, invoice);
        }

        return text.ToString();
    }

    private static void AppendInvoice(StringBuilder text, RunInvoiceResponse invoice)
    {
        var name = invoice switch
        {
            { Number: { } number, InvoiceId: { } id } => $"{number} ({id})",
            { Number: { } number } => number,
            { InvoiceId: { } id } => id,
            _ => "(would be issued)",
        };
        RunReportText.Line(text, $"\nInvoice {name}: {TextTable.Day(invoice.PeriodStart)}..{TextTable.Day(invoice.PeriodEnd)}, {invoice.Currency}");

        var table = new TextTable(TextColumn.Left("service"), TextColumn.Right("quantity"), TextColumn.Right("unit price"), TextColumn.Right("amount"));
        foreach (var line in invoice.Lines)
        {
            table.Add(line.Service, TextTable.Number(line.Quantity), TextTable.Number(line.UnitPrice), TextTable.Number(line.Amount));
        }

        table.Add("subtotal", "", "", TextTable.Number(invoice.Subtotal));
        table.Add(string.Create(CultureInfo.InvariantCulture, $"VAT {invoice.VatRate * 100:0.##}%"), "", "", TextTable.Number(invoice.Vat));
        table.Add("total", "", "", TextTable.Number(invoice.Total));
        table.AppendTo(text, "  ");
    }
}
