using System.Globalization;
using Billing.Contracts.Runs;

namespace Billing.Cli.Scheduler;

/// <summary>A validated <c>billing process</c> command line.</summary>
internal sealed record ProcessSettings(SchedulerTarget Target, ProcessMonthlyBillingRequest Request, int TimeoutSeconds, bool Json);

/// <summary>
/// One <c>billing process</c>: starts a run without waiting for it, polls it with progress on stderr until it ends
/// or <c>--timeout-s</c> passes, then prints the summary (or, with <c>--json</c>, the final run result as the silo sent it) to stdout.
/// </summary>
internal sealed class BillingRunFollower(ProcessSettings settings, TextWriter stdout, TextWriter stderr, TimeProvider time)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Polls that may fail in a row (a silo restarting, a proxy hiccup) before the CLI stops following the run.</summary>
    public const int MaxMissedPolls = 5;

    public async Task<int> RunAsync(SchedulerApi api, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        var progress = RunProgress.Start(stderr, time);
        string? runId = null;
        Reply<RunResponse> final;
        try
        {
            var start = await api.StartRunAsync(settings.Request, deadline.Token);
            runId = start.RunId;
            await stderr.WriteLineAsync(Started(runId));
            final = start.Finished ?? await FollowAsync(api, runId, progress, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            progress.Finish();
            await stderr.WriteLineAsync(StoppedWaiting(runId, cancellationToken.IsCancellationRequested));
            return ExitCodes.StillRunning;
        }
        finally
        {
            // Before anything else is written: an error line must not land on the end of a rewritten progress line.
            progress.Finish();
        }

        await stdout.WriteAsync(settings.Json ? final.Body + "\n" : RunReportText.Format(final.Value));
        return final.Value.HasFailures ? ExitCodes.ShopsFailed : ExitCodes.Ok;
    }

    private async Task<Reply<RunResponse>> FollowAsync(SchedulerApi api, string runId, RunProgress progress, CancellationToken deadline)
    {
        var missed = 0;
        // Bounded by the deadline: the delay throws once --timeout-s has passed.
        while (true)
        {
            await Task.Delay(PollInterval, time, deadline);
            Reply<RunResponse> reply;
            try
            {
                reply = await api.GetRunAsync(runId, deadline);
            }
            catch (Exception error) when (IsPassing(error) && ++missed < MaxMissedPolls)
            {
                continue;
            }

            missed = 0;
            progress.Show(reply.Value);
            if (!reply.Value.IsRunning)
            {
                return reply;
            }
        }
    }

    // No answer, or a 5xx, may pass while a silo restarts; a refusal (401, 404 run_not_found) will not.
    private static bool IsPassing(Exception error) =>
        error is SiloUnreachableException or SchedulerRefusedException { ExitCode: ExitCodes.Unhealthy };

    private string Started(string runId)
    {
        var request = settings.Request;
        var shops = request.ShopIds is { } ids ? string.Create(CultureInfo.InvariantCulture, $"{ids.Count} shops") : "all shops";
        var dryRun = request.DryRun == true ? ", dry run" : "";
        return $"started run {runId}: period {request.Period ?? "previous month"}, {shops}{dryRun}";
    }

    private string StoppedWaiting(string? runId, bool interrupted)
    {
        var when = interrupted ? "" : string.Create(CultureInfo.InvariantCulture, $" after {settings.TimeoutSeconds} s (--timeout-s)");
        return runId is null
            ? $"billing: stopped waiting{when} before the silo confirmed the run; 'billing status' shows whether it started."
            : $"billing: stopped waiting{when}; run {runId} goes on in the silo: follow it with 'billing status'.";
    }
}
