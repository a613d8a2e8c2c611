using System.CommandLine;
using Billing.Cli.Commands;
using Spectre.Console;

namespace Billing.Cli.Generate;

/// <summary>Runs a generator command against the silo and turns what goes wrong into one stderr line and its exit code.</summary>
internal static class GeneratorSession
{
    /// <summary>Deadline of one request: a day's batch of up to 1,000 requests is the largest.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    public static Option<string> Email() => new("--email")
    {
        Description = $"The customer's e-mail (default {PeriodRules.DefaultEmail}).",
        DefaultValueFactory = _ => PeriodRules.DefaultEmail,
    };

    public static async Task<int> RunAsync(
        ParseResult parseResult, GlobalOptions globals, AdminKeyOption adminKey, Func<GeneratorApi, IAnsiConsole, Task<int>> command)
    {
        var output = parseResult.InvocationConfiguration;
        using var client = new SiloClient(parseResult.GetRequiredValue(globals.Url), RequestTimeout, globals.Handler, disposeHandler: globals.Handler is null);
        try
        {
            return await command(new GeneratorApi(client, adminKey.Value(parseResult)), ReportConsole.Create(output.Output));
        }
        catch (SiloUnreachableException error)
        {
            await output.Error.WriteLineAsync($"billing: {error.Message}");
            return ExitCodes.Unreachable;
        }
        catch (GeneratorRefusedException error)
        {
            await output.Error.WriteLineAsync($"billing: {error.Message}");
            return ExitCodes.Refused;
        }
    }
}
