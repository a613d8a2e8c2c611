using System.CommandLine;
using System.Reflection;

namespace Billing.Cli.Commands;

/// <summary><c>billing version</c>: the informational version, which carries the commit when the build stamps one.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version of this tool.");
        command.SetAction(parseResult =>
        {
            parseResult.InvocationConfiguration.Output.WriteLine(InformationalVersion);
            return ExitCodes.Ok;
        });
        return command;
    }

    // Read from this assembly, not the entry assembly, which under a test host is the runner's.
    internal static string InformationalVersion =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
