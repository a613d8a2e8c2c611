using System.Text;
using Billing.Contracts.Runs;

namespace Billing.Cli.Scheduler;

/// <summary>What <c>billing status</c> prints: the last runs as a table, the dead letters, and the scheduler's counts.</summary>
internal static class StatusReportText
{
    /// <summary>The silo sends every dead letter; past this many the rest are counted, not listed.</summary>
    public const int MaxListedDeadLetters = 100;

    public static string Format(SchedulerStatusResponse status)
    {
        var text = new StringBuilder();
        AppendRuns(text, status.Runs);
        AppendDeadLetters(text, status);
        RunReportText.Line(text, $"\nOpen periods: {status.OpenPeriods}");
        RunReportText.Line(text, $"Invoices issued: {status.InvoicesIssued}");
        return text.ToString();
    }

    private static void AppendRuns(StringBuilder text, IReadOnlyList<RunResponse> runs)
    {
        if (runs.Count == 0)
        {
            text.Append("Runs: none yet.\n");
            return;
        }

        var table = new TextTable(
            TextColumn.Left("run"), TextColumn.Left("status"), TextColumn.Left("trigger"), TextColumn.Left("period"), TextColumn.Left("dry run"),
            TextColumn.Left("started"), TextColumn.Left("finished"), TextColumn.Right("shops"), TextColumn.Right("succeeded"),
            TextColumn.Right("failed"), TextColumn.Right("skipped"), TextColumn.Right("issued"), TextColumn.Right("existing"));
        foreach (var run in runs)
        {
            table.Add(
                run.RunId, run.Status, run.Trigger, run.Period, run.DryRun ? "yes" : "no", TextTable.Time(run.StartedAt),
                run.FinishedAt is { } finished ? TextTable.Time(finished) : "-",
                $"{TextTable.Number(run.ShopsProcessed)}/{TextTable.Number(run.ShopsTotal)}", TextTable.Number(run.Succeeded),
                TextTable.Number(run.Failed), TextTable.Number(run.Skipped), TextTable.Number(run.InvoicesIssued), TextTable.Number(run.InvoicesExisting));
        }

        text.Append("Runs (newest first)\n");
        table.AppendTo(text, "  ");
    }

    private static void AppendDeadLetters(StringBuilder text, SchedulerStatusResponse status)
    {
        var count = Math.Max(status.DeadLetterCount, status.DeadLetters.Count);
        if (count == 0)
        {
            text.Append("\nDead letters: none.\n");
            return;
        }

        var table = new TextTable(
            TextColumn.Left("shop"), TextColumn.Left("period"), TextColumn.Right("attempts"), TextColumn.Left("failed at"), TextColumn.Left("run"),
            TextColumn.Left("error"));
        foreach (var letter in status.DeadLetters.Take(MaxListedDeadLetters))
        {
            table.Add(letter.ShopId, letter.Period, TextTable.Number(letter.Attempts), TextTable.Time(letter.FailedAt), letter.RunId, letter.Error);
        }

        RunReportText.Line(text, $"\nDead letters ({count})");
        table.AppendTo(text, "  ");
        if (count > table.Count)
        {
            RunReportText.Line(text, $"  … and {count - table.Count} more.");
        }
    }
}
