using System.CommandLine;
using System.CommandLine.Invocation;
using Billing.Cli.Commands;

namespace Billing.Cli;

/// <summary>Builds the command tree and runs it; stdout, stderr and the environment are injected so tests run it in-process.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, Environment.GetEnvironmentVariable, cancellationToken);

    internal static Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, new GlobalOptions(environment), cancellationToken);

    /// <summary>With <paramref name="globals"/> made by the caller: a test's clock and in-memory silo.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, GlobalOptions globals, CancellationToken cancellationToken = default)
    {
        var parseResult = BuildRootCommand(globals).Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            return ReportParseErrors(parseResult, stderr);
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }

    internal static RootCommand BuildRootCommand(Func<string, string?> environment) => BuildRootCommand(new GlobalOptions(environment));

    private static RootCommand BuildRootCommand(GlobalOptions globals)
    {
        var root = new RootCommand("Command-line client for the billing silo.");
        root.Add(globals.Url);
        root.Add(GenerateCommand.Create(globals));
        root.Add(HealthCommand.Create(globals));
        root.Add(LoadTestCommand.Create(globals));
        root.Add(ProcessCommand.Create(globals));
        root.Add(SimulateCommand.Create(globals));
        root.Add(StatusCommand.Create(globals));
        root.Add(TestShopCommand.Create(globals));
        root.Add(VerifyCommand.Create(globals));
        root.Add(VersionCommand.Create());
        return root;
    }

    // The library's default error action also dumps the whole help text, which buries the one line that matters.
    private static int ReportParseErrors(ParseResult parseResult, TextWriter stderr)
    {
        foreach (var error in parseResult.Errors)
        {
            stderr.WriteLine($"billing: {error.Message}");
        }

        stderr.WriteLine("Run 'billing --help' for usage.");
        return ExitCodes.Usage;
    }
}
