using System.Globalization;
using Billing.Silo.Notifications;

namespace Billing.Silo.Invoicing.Runs;

/// <summary>What operators are told when a run ends (seed 002): how it went, and the shops left in the dead-letter list.</summary>
public static class RunNotices
{
    public const string Completed = "billing_run.completed";
    public const string Failed = "billing_run.failed";

    public static Notice Of(RunSnapshot run, Guid noticeId, DateTimeOffset now)
    {
        var trouble = run.Status == RunStatus.Failed || run.Failed > 0;
        var how = run.Status == RunStatus.Failed ? "failed" : "completed";
        var dry = run.DryRun ? ", dry run" : "";
        var why = run.Error is null ? "." : $"; {run.Error}";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Billing run {run.RunId} for {run.Period} ({TriggerName(run.Trigger)}{dry}) {how}: {run.ShopsTotal} shops, {run.Succeeded} billed, " +
            $"{run.Skipped} with nothing due, {run.Failed} dead-lettered; {run.InvoicesIssued} invoices issued, {run.InvoicesExisting} already issued{why}");
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["run_id"] = run.RunId, ["period"] = run.Period, ["trigger"] = TriggerName(run.Trigger), ["dry_run"] = run.DryRun,
            ["status"] = run.Status.ToString().ToLowerInvariant(), ["shops_total"] = run.ShopsTotal, ["succeeded"] = run.Succeeded, ["not_due"] = run.Skipped, ["failed"] = run.Failed,
            ["invoices_issued"] = run.InvoicesIssued, ["invoices_existing"] = run.InvoicesExisting,
            ["dead_letters"] = run.Failures.Select(f => f.ShopId).ToList(), ["error"] = run.Error,
        };
        return new Notice(noticeId, trouble ? Failed : Completed, text, data, now);
    }

    private static string TriggerName(RunTrigger trigger) => trigger.ToString().ToLowerInvariant();
}
