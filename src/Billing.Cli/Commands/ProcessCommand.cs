using System.CommandLine;
using Billing.Cli.Scheduler;
using Billing.Contracts.Runs;

namespace Billing.Cli.Commands;

/// <summary><c>billing process</c>: runs monthly billing for every shop (or some), following the run with a progress bar.</summary>
internal static class ProcessCommand
{
    public const int DefaultTimeoutSeconds = 3600;
    public const int MaxTimeoutSeconds = 86_400;

    public static Command Create(GlobalOptions globals)
    {
        var adminKey = new AdminKeyOption(globals.Environment);
        var dryRun = SchedulerOptions.DryRun("Compute and report every invoice without writing anything.");
        var shopIds = SchedulerOptions.ShopIds();
        var previousMonth = new Option<bool>("--previous-month") { Description = "Bill the month before this one (the default)." };
        var period = SchedulerOptions.Period("Bill this month instead of the previous one.");
        var timeoutSeconds = RangedOption.Create(
            "--timeout-s", $"Stop waiting after this many seconds; the run goes on in the silo (1..{MaxTimeoutSeconds}).",
            1, MaxTimeoutSeconds, DefaultTimeoutSeconds, "seconds");
        var json = SchedulerOptions.Json("Print only the final run result, as the silo's JSON.");
        var command = new Command(
            "process",
            "Run monthly billing and wait for it (exit 0 all shops billed, 5 a shop failed, 6 still running at --timeout-s, 2 unreachable, 4 refused).")
        {
            adminKey.Option, dryRun, shopIds, previousMonth, period, timeoutSeconds, json,
        };
        command.Validators.Add(result =>
        {
            adminKey.Require(result, "process");
            if (result.GetResult(previousMonth) is not null && result.GetResult(period) is not null)
            {
                result.AddError("--previous-month and --period cannot be used together: give one month or the other.");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new ProcessMonthlyBillingRequest(
                parseResult.GetResult(shopIds) is null ? null : parseResult.GetValue(shopIds),
                parseResult.GetValue(period),
                parseResult.GetValue(dryRun),
                Wait: false);
            var settings = new ProcessSettings(
                SchedulerSession.Target(parseResult, globals, adminKey), request, parseResult.GetValue(timeoutSeconds), parseResult.GetValue(json));
            var output = parseResult.InvocationConfiguration;
            var run = new BillingRunFollower(settings, output.Output, output.Error, TimeProvider.System);
            return SchedulerSession.RunAsync(settings.Target, output.Error, api => run.RunAsync(api, cancellationToken));
        });
        return command;
    }
}
