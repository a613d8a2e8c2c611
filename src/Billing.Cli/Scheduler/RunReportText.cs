using System.Globalization;
using System.Text;
using Billing.Contracts.Runs;

namespace Billing.Cli.Scheduler;

/// <summary>The summary <c>billing process</c> prints: counts, invoices, totals per currency, each failure; for a dry run, each would-be invoice.</summary>
internal static class RunReportText
{
    public const string DryRunNotice = "DRY RUN: nothing was written; the invoices below are what a real run would issue.";

    /// <summary>Failures and would-be invoices listed at most (the silo's own cap on results); the rest are counted.</summary>
    public const int MaxListed = 1000;

    public static string Format(RunResponse run)
    {
        var text = new StringBuilder();
        if (run.DryRun)
        {
            text.Append(DryRunNotice).Append('\n');
        }

        Line(text, $"Run {run.RunId} {run.Status}: period {run.Period}, {run.ShopsProcessed} of {run.ShopsTotal} shops processed.");
        Line(text, $"Shops: {run.Succeeded} succeeded, {run.Failed} failed, {run.Skipped} skipped.");
        Line(text, $"Invoices: {run.InvoicesIssued} {(run.DryRun ? "would be issued" : "issued")}, {run.InvoicesExisting} already existed.");
        if (run.DryRun)
        {
            AppendWouldBeInvoices(text, run);
        }

        AppendTotals(text, run.Totals);
        AppendFailures(text, run);
        if (run.ResultsTruncated == true)
        {
            Line(text, $"\nThe silo listed only the first {run.ResultsListed.Count} shop results; the counts and totals above cover every shop.");
        }

        return text.ToString();
    }

    private static void AppendTotals(StringBuilder text, IReadOnlyList<RunCurrencyTotalResponse> totals)
    {
        if (totals.Count == 0)
        {
            text.Append("\nTotals: none.\n");
            return;
        }

        var table = new TextTable(
            TextColumn.Left("currency"), TextColumn.Right("invoices"), TextColumn.Right("subtotal"), TextColumn.Right("vat"), TextColumn.Right("total"));
        foreach (var total in totals)
        {
            table.Add(total.Currency, TextTable.Number(total.Invoices), TextTable.Number(total.Subtotal), TextTable.Number(total.Vat), TextTable.Number(total.Total));
        }

        text.Append("\nTotals\n");
        table.AppendTo(text, "  ");
    }

    private static void AppendWouldBeInvoices(StringBuilder text, RunResponse run)
    {
        var table = new TextTable(TextColumn.Left("shop"), TextColumn.Left("period"), TextColumn.Left("currency"), TextColumn.Right("total"));
        var invoices = run.ResultsListed.Where(result => result.Status == RunShopResultResponse.WouldInvoice)
            .SelectMany(result => result.Invoices.Select(invoice => (result.ShopId, Invoice: invoice)));
        foreach (var (shopId, invoice) in invoices.Take(MaxListed))
        {
            table.Add(shopId, $"{TextTable.Day(invoice.PeriodStart)}..{TextTable.Day(invoice.PeriodEnd)}", invoice.Currency, TextTable.Number(invoice.Total));
        }

        Line(text, $"\nWould invoice ({table.Count})");
        table.AppendTo(text, "  ");
    }

    private static void AppendFailures(StringBuilder text, RunResponse run)
    {
        if (run.Failed == 0 && run.FailuresListed.Count == 0)
        {
            return;
        }

        var table = new TextTable(TextColumn.Left("shop"), TextColumn.Right("attempts"), TextColumn.Left("error"));
        foreach (var failure in run.FailuresListed.Take(MaxListed))
        {
            table.Add(failure.ShopId, TextTable.Number(failure.Attempts), failure.Error);
        }

        Line(text, $"\nFailed shops ({Math.Max(run.Failed, run.FailuresListed.Count)})");
        table.AppendTo(text, "  ");
        var unlisted = Math.Max(run.Failed, run.FailuresListed.Count) - table.Count;
        if (unlisted > 0)
        {
            Line(text, $"  … and {unlisted} more not listed.");
        }
    }

    internal static void Line(StringBuilder text, FormattableString line) => text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
