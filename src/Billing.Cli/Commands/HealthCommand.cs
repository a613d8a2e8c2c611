using System.CommandLine;

namespace Billing.Cli.Commands;

/// <summary><c>billing health</c>: asks the silo's <c>GET /health</c> and turns the answer into an exit code.</summary>
internal static class HealthCommand
{
    public const int DefaultTimeoutMs = 5000;
    public const int MaxTimeoutMs = 60000;

    public static Command Create(GlobalOptions globals)
    {
        var timeoutMs = TimeoutOption();
        var json = new Option<bool>("--json") { Description = "Print the silo's JSON reply as is." };
        var command = new Command("health", "Check that the silo is up and its storage answers (exit 0 healthy, 1 not healthy, 2 unreachable).")
        {
            timeoutMs,
            json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new Settings(parseResult.GetRequiredValue(globals.Url), parseResult.GetValue(timeoutMs), parseResult.GetValue(json));
            var output = parseResult.InvocationConfiguration;
            return RunAsync(settings, globals.Handler, output.Output, output.Error, cancellationToken);
        });
        return command;
    }

    private sealed record Settings(Uri Url, int TimeoutMs, bool Json);

    private static Option<int> TimeoutOption() => RangedOption.Create(
        "--timeout-ms", $"Give up after this many milliseconds (1..{MaxTimeoutMs}).", 1, MaxTimeoutMs, DefaultTimeoutMs, "milliseconds");

    private static async Task<int> RunAsync(Settings settings, HttpMessageHandler? handler, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var client = new SiloClient(settings.Url, TimeSpan.FromMilliseconds(settings.TimeoutMs), handler, disposeHandler: handler is null);
        try
        {
            var response = await client.GetAsync("health", cancellationToken);
            return Report(response, client.DisplayUrl, settings.Json, stdout, stderr);
        }
        catch (SiloUnreachableException error)
        {
            stderr.WriteLine($"billing: {error.Message}");
            return ExitCodes.Unreachable;
        }
    }

    private static int Report(SiloResponse response, string url, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (HealthReply.TryParse(response.Body, out var report))
        {
            stdout.WriteLine(json ? response.Body : HealthReply.ToLine(report));
            return HealthReply.IsHealthy(report) ? ExitCodes.Ok : ExitCodes.Unhealthy;
        }

        // The silo answers 503 with problem details when its database does not respond: that is "unhealthy", not "unreachable".
        if (HealthReply.TryParseProblem(response.Body, out var problem))
        {
            stdout.WriteLine(json ? response.Body : $"unhealthy  {problem}");
            return ExitCodes.Unhealthy;
        }

        stderr.WriteLine($"billing: {url}/health answered HTTP {(int)response.StatusCode} without a health report; is --url a billing silo?");
        return ExitCodes.Unreachable;
    }
}
