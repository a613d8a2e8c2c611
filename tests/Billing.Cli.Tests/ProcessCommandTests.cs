using System.Text.Json;
using static Billing.Cli.Tests.SchedulerReplies;

namespace Billing.Cli.Tests;

/// <summary><c>billing process</c> against a scripted scheduler: each run polls every 500 ms, so a test takes about a second.</summary>
public sealed class ProcessCommandTests
{
    private static readonly RunJson Billed = new()
    {
        InvoicesIssued = 3,
        InvoicesExisting = 1,
        Totals = List(Total("EUR", 2, "22.34", "4.69", "27.03"), Total("USD", 1, "100.00", "0.00", "100.00")),
        Results = List(
            Result("shp_1", "invoiced", 1, null, Invoice("inv_0001", "EUR", "12.34", "2.59", "0.21", "14.93")),
            Result("shp_2", "invoiced", 2, null, Invoice("inv_0002", "EUR", "10.00", "2.10", "0.21", "12.10")),
            Result("shp_3", "already_invoiced", 1, null, Invoice("inv_0000", "EUR", "5.00", "1.05", "0.21", "6.05")),
            Result("shp_4", "invoiced", 1, null, Invoice("inv_0003", "USD", "100.00", "0.00", "0", "100.00"))),
    };

    private static readonly RunJson WithFailures = Billed with
    {
        Succeeded = 2,
        Failed = 2,
        InvoicesIssued = 2,
        InvoicesExisting = 0,
        Totals = List(Total("EUR", 2, "22.34", "4.69", "27.03")),
        Failures = List(Failure("shp_3", "no billing plan for shop", 3), Failure("shp_4", "usage store timed out", 3)),
    };

    private static Task<CliRun> ProcessAsync(FakeSchedulerSilo silo, params string[] args) =>
        CliRunner.RunAsync(["--url", silo.Url.ToString(), "process", "--admin-key", FakeSchedulerSilo.AdminKey, .. args]);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task FollowsTheRunUntilItCompletesShowingProgressThenPrintsTheSummaryAndExits0()
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Polls = [Billed.Running(0, 0).Ok(), Billed.Running(2, 2).Ok(), Billed.Ok()] });

        var run = await ProcessAsync(silo);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(
            """
            Run run_1 completed: period 2025-06, 4 of 4 shops processed.
            Shops: 4 succeeded, 0 failed, 0 skipped.
            Invoices: 3 issued, 1 already existed.

            Totals
              currency  invoices  subtotal   vat   total
              EUR              2     22.34  4.69   27.03
              USD              1    100.00  0.00  100.00

            """.ReplaceLineEndings("\n"),
            run.Stdout);
        var progress = Lines(run.Stderr);
        Assert.Equal("started run run_1: period previous month, all shops", progress[0].TrimEnd());
        Assert.Equal(4, progress.Length);
        Assert.Matches(@"^process  \[-{20}\]  0/4 shops  0%  succeeded 0  failed 0  \d+\.\d shops/s  \d+ s\s*$", progress[1]);
        Assert.Matches(@"^process  \[#{10}-{10}\]  2/4 shops  50%  succeeded 2  failed 0  \d+\.\d shops/s  \d+ s\s*$", progress[2]);
        Assert.Matches(@"^process  \[#{20}\]  4/4 shops  100%  succeeded 4  failed 0  \d+\.\d shops/s  \d+ s\s*$", progress[3]);
        Assert.Equal(
            ["POST /api/billing-scheduler/process-monthly-billing {\"dry_run\":false,\"wait\":false}",
             "GET /api/billing-scheduler/runs/run_1", "GET /api/billing-scheduler/runs/run_1", "GET /api/billing-scheduler/runs/run_1"],
            silo.Requests);
        Assert.All(silo.Authorizations, header => Assert.Equal("Bearer admin-secret", header));
        Assert.Empty(silo.Faults);
    }

    [Fact]
    public async Task DryRunSaysNothingWasWrittenAndListsEveryWouldBeInvoice()
    {
        var dryRun = new RunJson
        {
            DryRun = true,
            ShopsTotal = 2,
            ShopsProcessed = 2,
            Succeeded = 2,
            InvoicesIssued = 1,
            InvoicesExisting = 1,
            Totals = List(Total("EUR", 1, "12.34", "2.59", "14.93")),
            Results = List(
                Result("shp_1", "would_invoice", 1, null, Invoice(null, "EUR", "12.34", "2.59", "0.21", "14.93")),
                Result("shp_2", "already_invoiced", 1, null, Invoice("inv_0002", "EUR", "10.00", "2.10", "0.21", "12.10"))),
        };
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Polls = [dryRun.Ok()] });

        var run = await ProcessAsync(silo, "--dry-run", "--period", "2025-06", "--shop-ids", "shp_1", "shp_2,shp_1");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(
            """
            DRY RUN: nothing was written; the invoices below are what a real run would issue.
            Run run_1 completed: period 2025-06, 2 of 2 shops processed.
            Shops: 2 succeeded, 0 failed, 0 skipped.
            Invoices: 1 would be issued, 1 already existed.

            Would invoice (1)
              shop   period                  currency  total
              shp_1  2025-06-01..2025-06-30  EUR       14.93

            Totals
              currency  invoices  subtotal   vat  total
              EUR              1     12.34  2.59  14.93

            """.ReplaceLineEndings("\n"),
            run.Stdout);
        Assert.Equal("started run run_1: period 2025-06, 2 shops, dry run", Lines(run.Stderr)[0].TrimEnd());
        Assert.StartsWith("dry run  [####################]  2/2 shops  100%", Lines(run.Stderr)[1], StringComparison.Ordinal);
        Assert.Equal(
            "POST /api/billing-scheduler/process-monthly-billing {\"shop_ids\":[\"shp_1\",\"shp_2\"],\"period\":\"2025-06\",\"dry_run\":true,\"wait\":false}",
            silo.Requests.First());
    }

    [Fact]
    public async Task FailedShopsAreListedWithAttemptsAndErrorAndExitWithShopsFailed()
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Polls = [WithFailures.Running(3, 2, 1).Ok(), WithFailures.Ok()] });

        var run = await ProcessAsync(silo, "--previous-month");

        Assert.Equal(ExitCodes.ShopsFailed, run.ExitCode);
        Assert.Equal(
            """
            Run run_1 completed: period 2025-06, 4 of 4 shops processed.
            Shops: 2 succeeded, 2 failed, 0 skipped.
            Invoices: 2 issued, 0 already existed.

            Totals
              currency  invoices  subtotal   vat  total
              EUR              2     22.34  4.69  27.03

            Failed shops (2)
              shop   attempts  error
              shp_3         3  no billing plan for shop
              shp_4         3  usage store timed out

            """.ReplaceLineEndings("\n"),
            run.Stdout);
        Assert.Matches(@"^process  \[###############-----\]  3/4 shops  75%  succeeded 2  failed 1  ", Lines(run.Stderr)[1]);
        Assert.Equal("POST /api/billing-scheduler/process-monthly-billing {\"dry_run\":false,\"wait\":false}", silo.Requests.First());
    }

    [Fact]
    public async Task RunThatFailsAsAWholeExitsWithShopsFailedAndSaysSo()
    {
        var failed = new RunJson { Status = "failed", ShopsProcessed = 1, Succeeded = 1 };
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Polls = [failed.Ok()] });

        var run = await ProcessAsync(silo);

        Assert.Equal(ExitCodes.ShopsFailed, run.ExitCode);
        Assert.StartsWith("Run run_1 failed: period 2025-06, 1 of 4 shops processed.\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonPrintsOnlyTheFinalRunResultAsTheSiloSentIt()
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript { Polls = [WithFailures.Running(1, 1).Ok(), WithFailures.Ok()] });

        var run = await ProcessAsync(silo, "--json");

        Assert.Equal(ExitCodes.ShopsFailed, run.ExitCode);
        Assert.Equal(WithFailures.Json + "\n", run.Stdout);
        using var result = JsonDocument.Parse(run.Stdout);
        Assert.Equal(27.03m, result.RootElement.GetProperty("totals")[0].GetProperty("total").GetDecimal());
        Assert.Equal(2, result.RootElement.GetProperty("failures").GetArrayLength());
    }
}
