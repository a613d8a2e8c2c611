using System.CommandLine;
using System.CommandLine.Parsing;
using Billing.Cli.LoadTest;

namespace Billing.Cli.Commands;

/// <summary>
/// <c>billing loadtest</c>: provisions shops through the admin API, drives the metered consume endpoint and then the
/// bare parse endpoint, and checks that the silo's balances account for every token it accepted.
/// </summary>
internal static class LoadTestCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var options = new LoadTestOptions(globals.Environment);
        var command = new Command("loadtest", "Load-test a silo's metering path and check token conservation (exit 0 ok, 2 unreachable, 3 conservation broken, 4 setup refused).");
        foreach (var option in options.All)
        {
            command.Add(option);
        }

        command.Validators.Add(result => Validate(result, globals, options));
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration;
            var run = new LoadTestRun(options.Settings(parseResult, globals), output.Output, output.Error, TimeProvider.System);
            return run.RunAsync(cancellationToken);
        });
        return command;
    }

    private static void Validate(CommandResult result, GlobalOptions globals, LoadTestOptions options)
    {
        options.AdminKey.Require(result, "loadtest");

        // A bad --url has its own error already.
        if (globals.UrlFor(result) is { } url && TargetPolicy.Refusal(url, result.GetValue(options.AllowRemote)) is { } refusal)
        {
            result.AddError(refusal);
        }
    }
}
