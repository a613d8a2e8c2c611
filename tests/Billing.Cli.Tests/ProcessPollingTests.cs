using static Billing.Cli.Tests.SchedulerReplies;

namespace Billing.Cli.Tests;

/// <summary>How <c>billing process</c> follows a run: retries, a run that disappears, the deadline, an immediate result.</summary>
public sealed class ProcessPollingTests
{
    private static readonly RunJson Completed = new();

    private static Task<CliRun> ProcessAsync(FakeSchedulerSilo silo, params string[] args) =>
        CliRunner.RunAsync(["--url", silo.Url.ToString(), "process", "--admin-key", FakeSchedulerSilo.AdminKey, .. args]);

    [Fact]
    public async Task SiloThatFinishesTheRunAtOnceIsNotPolled()
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Start = Completed.Ok() });

        var run = await ProcessAsync(silo);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.StartsWith("Run run_1 completed", run.Stdout, StringComparison.Ordinal);
        Assert.Single(silo.Requests);
    }

    [Fact]
    public async Task PollsThatFailForAMomentAreRetried()
    {
        var unavailable = Problem(503, "database_unavailable", "Database unavailable", "timeout");
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Polls = [Completed.Running(1, 1).Ok(), unavailable, Completed.Ok()] });

        var run = await ProcessAsync(silo);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(4, silo.Requests.Count);
    }

    [Fact]
    public async Task RunTheSiloNoLongerKnowsStopsTheCommandWithExit4()
    {
        var lost = Problem(404, "run_not_found", "Run not found", "No run run_1.");
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Polls = [Completed.Running(1, 1).Ok(), lost] });

        var run = await ProcessAsync(silo);

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.EndsWith("billing: GET /api/billing-scheduler/runs/run_1 answered 404 (Run not found: No run run_1.).\n", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task TimeoutStopsWaitingWithExit6AndNamesTheRunThatGoesOn()
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Polls = [Completed.Running(1, 1).Ok()] });

        var run = await ProcessAsync(silo, "--timeout-s", "1");

        Assert.Equal(ExitCodes.StillRunning, run.ExitCode);
        Assert.EndsWith(
            "billing: stopped waiting after 1 s (--timeout-s); run run_1 goes on in the silo: follow it with 'billing status'.\n",
            run.Stderr,
            StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task ReplyThatIsNotARunResultExits2()
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Polls = [new FakeResponse(200, """{"run_id":"run_1"}""")] });

        var run = await ProcessAsync(silo);

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains("/api/billing-scheduler/runs/run_1 answered HTTP 200 without a readable run result", run.Stderr, StringComparison.Ordinal);
    }
}
