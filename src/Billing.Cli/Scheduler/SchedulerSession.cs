using System.CommandLine;
using Billing.Cli.Commands;

namespace Billing.Cli.Scheduler;

/// <summary>Where and as whom the scheduler commands call the silo; <paramref name="Handler"/>: a test's in-memory silo (null: real HTTP).</summary>
internal sealed record SchedulerTarget(Uri Url, string AdminKey, HttpMessageHandler? Handler = null);

/// <summary>
/// Runs one scheduler command against the silo and turns what can go wrong on the way into one stderr line and its
/// exit code: unreachable (2), refused (4: admin key, unknown shop or run), silo error (1).
/// </summary>
internal static class SchedulerSession
{
    // A run result lists up to 1,000 shops with their invoices' lines: far more than the usual 1 MiB cap allows for.
    public const int MaxReplyBytes = 32 * 1024 * 1024;

    /// <summary>Deadline of one request; a whole <c>billing process</c> has its own, longer one.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(SchedulerTarget target, TextWriter stderr, Func<SchedulerApi, Task<int>> command)
    {
        using var client = new SiloClient(target.Url, RequestTimeout, target.Handler, disposeHandler: target.Handler is null, maxResponseBytes: MaxReplyBytes);
        try
        {
            return await command(new SchedulerApi(client, target.AdminKey));
        }
        catch (SiloUnreachableException error)
        {
            await stderr.WriteLineAsync($"billing: {error.Message}");
            return ExitCodes.Unreachable;
        }
        catch (SchedulerRefusedException error)
        {
            await stderr.WriteLineAsync($"billing: {error.Message}");
            return error.ExitCode;
        }
    }

    public static SchedulerTarget Target(ParseResult parseResult, GlobalOptions globals, AdminKeyOption adminKey) =>
        new(parseResult.GetRequiredValue(globals.Url), adminKey.Value(parseResult), globals.Handler);
}
