using System.CommandLine;
using Billing.Cli.Scheduler;

namespace Billing.Cli.Commands;

/// <summary><c>billing status</c>: the billing scheduler's last runs, dead letters and counts.</summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var adminKey = new AdminKeyOption(globals.Environment);
        var json = SchedulerOptions.Json("Print the silo's JSON reply as is.");
        var command = new Command("status", "Show the billing scheduler's last runs, dead letters and counts (exit 0, 2 unreachable, 4 refused).")
        {
            adminKey.Option, json,
        };
        command.Validators.Add(result => adminKey.Require(result, "status"));
        command.SetAction((parseResult, cancellationToken) =>
        {
            var target = SchedulerSession.Target(parseResult, globals, adminKey);
            var output = parseResult.InvocationConfiguration;
            return SchedulerSession.RunAsync(target, output.Error, async api =>
            {
                var reply = await api.GetStatusAsync(cancellationToken);
                await output.Output.WriteAsync(parseResult.GetValue(json) ? reply.Body + "\n" : StatusReportText.Format(reply.Value));
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
