namespace Billing.Cli.Tests;

public sealed class StatusCommandTests
{
    private static readonly string Status = $$"""
        {"runs":[{{new RunJson { Failed = 1, Succeeded = 3, InvoicesIssued = 2, InvoicesExisting = 1 }.Json}},
                 {{new RunJson { RunId = "run_0", Status = "running", DryRun = true, FinishedAt = null, ShopsProcessed = 1, Succeeded = 1 }.Json}}],
         "dead_letters":[{"shop_id":"shp_4","period":"2025-06","error":"no billing plan\nfor shop","attempts":3,"failed_at":"2025-07-01T02:02:00Z","run_id":"run_1"}],
         "dead_letter_count":1,"open_periods":3,"invoices_issued":120}
        """;

    private static Task<CliRun> StatusAsync(FakeSchedulerSilo silo, params string[] args) =>
        CliRunner.RunAsync(["--url", silo.Url.ToString(), "status", "--admin-key", FakeSchedulerSilo.AdminKey, .. args]);

    [Fact]
    public async Task PrintsTheLastRunsAsATableThenDeadLettersAndCounts()
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Status = Status });

        var run = await StatusAsync(silo);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(
            """
            Runs (newest first)
              run    status     trigger  period   dry run  started               finished              shops  succeeded  failed  skipped  issued  existing
              run_1  completed  api      2025-06  no       2025-07-01T02:00:00Z  2025-07-01T02:03:00Z    4/4          3       1        0       2         1
              run_0  running    api      2025-06  yes      2025-07-01T02:00:00Z  -                       1/4          1       0        0       0         0

            Dead letters (1)
              shop   period   attempts  failed at             run    error
              shp_4  2025-06         3  2025-07-01T02:02:00Z  run_1  no billing plan for shop

            Open periods: 3
            Invoices issued: 120

            """.ReplaceLineEndings("\n"),
            run.Stdout);
        Assert.Equal(["GET /api/billing-scheduler/status"], silo.Requests);
    }

    [Fact]
    public async Task SchedulerThatNeverRanSaysSo()
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript());

        var run = await StatusAsync(silo);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("Runs: none yet.\n\nDead letters: none.\n\nOpen periods: 0\nInvoices issued: 0\n", run.Stdout);
    }

    [Fact]
    public async Task JsonPrintsTheSilosReplyAsIs()
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Status = Status });

        var run = await StatusAsync(silo, "--json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(Status + "\n", run.Stdout);
    }

    [Fact]
    public async Task FiveHundredFromTheSiloExits1()
    {
        await using var silo = FakeSilo.Replying(503, """{"title":"Database unavailable","status":503,"detail":"timeout","code":"database_unavailable"}""");

        var run = await StatusAsync(silo);

        Assert.Equal(ExitCodes.Unhealthy, run.ExitCode);
        Assert.Equal("billing: GET /api/billing-scheduler/status answered 503 (Database unavailable: timeout).\n", run.Stderr);
    }

    private static Task<CliRun> StatusAsync(FakeSilo silo) =>
        CliRunner.RunAsync("--url", silo.Url.ToString(), "status", "--admin-key", "k");
}
