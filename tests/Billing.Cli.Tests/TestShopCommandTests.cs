using System.Text.Json;
using static Billing.Cli.Tests.SchedulerReplies;

namespace Billing.Cli.Tests;

public sealed class TestShopCommandTests
{
    private static readonly string Lines = List(
        Line("api_calls", "1000", "0.0100", "10.00"),
        Line("storage_gb", "5", "0.468", "2.34"));

    private static readonly RunJson Invoiced = new()
    {
        ShopsTotal = 1,
        ShopsProcessed = 1,
        Succeeded = 1,
        InvoicesIssued = 1,
        Totals = List(Total("EUR", 1, "12.34", "2.59", "14.93")),
        Results = List(Result("shp_1", "invoiced", 1, null, Invoice("inv_0001", "EUR", "12.34", "2.59", "0.21", "14.93", Lines))),
    };

    private static Task<CliRun> TestAsync(FakeSchedulerSilo silo, params string[] args) =>
        CliRunner.RunAsync(["--url", silo.Url.ToString(), "test", .. args, "--admin-key", FakeSchedulerSilo.AdminKey]);

    private static FakeSchedulerSilo Silo(string shopId, RunJson result) =>
        new(new SchedulerScript { Shops = new Dictionary<string, string> { [shopId] = result.Json } });

    [Fact]
    public async Task PrintsTheShopsOutcomeAndEachInvoiceLineWithSubtotalVatAndTotal()
    {
        await using var silo = Silo("shp_1", Invoiced);

        var run = await TestAsync(silo, "shp_1", "--period", "2025-06", "--bill");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(
            """
            Shop shp_1: invoiced, period 2025-06, 1 attempt.

            Invoice INV-2025-06-0001 (inv_0001): 2025-06-01..2025-06-30, EUR
              service     quantity  unit price  amount
              api_calls       1000      0.0100   10.00
              storage_gb         5       0.468    2.34
              subtotal                           12.34
              VAT 21%                             2.59
              total                              14.93

            """.ReplaceLineEndings("\n"),
            run.Stdout);
        Assert.Equal(["POST /api/billing-scheduler/process-shop-billing/shp_1 {\"period\":\"2025-06\",\"dry_run\":false}"], silo.Requests);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task DryRunSaysNothingWasWrittenAndShowsTheWouldBeInvoice()
    {
        var wouldInvoice = Invoiced with
        {
            DryRun = true,
            Results = List(Result("shp_1", "would_invoice", 1, null, Invoice(null, "EUR", "12.34", "2.59", "0.21", "14.93", Lines))),
        };
        await using var silo = Silo("shp_1", wouldInvoice);

        var run = await TestAsync(silo, "shp_1", "--dry-run");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var lines = run.Stdout.Split('\n');
        Assert.Equal("DRY RUN: nothing was written.", lines[0]);
        Assert.Equal("Shop shp_1: would_invoice, period 2025-06, 1 attempt.", lines[1]);
        Assert.Equal("Invoice (would be issued): 2025-06-01..2025-06-30, EUR", lines[3]);
        Assert.Equal(["POST /api/billing-scheduler/process-shop-billing/shp_1 {\"dry_run\":true}"], silo.Requests);
    }

    [Fact]
    public async Task WithoutBillNothingIsWrittenEvenWithoutDryRun()
    {
        var wouldInvoice = Invoiced with { DryRun = true, Results = List(Result("shp_1", "would_invoice", 1, null, Invoice(null, "EUR", "12.34", "2.59", "0.21", "14.93", Lines))) };
        await using var silo = Silo("shp_1", wouldInvoice);

        var run = await TestAsync(silo, "shp_1", "--period", "2025-06");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["POST /api/billing-scheduler/process-shop-billing/shp_1 {\"period\":\"2025-06\",\"dry_run\":true}"], silo.Requests);
        Assert.StartsWith("DRY RUN: nothing was written.\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BillWithDryRunIsAUsageErrorAndSendsNothing()
    {
        await using var silo = Silo("shp_1", Invoiced);

        var run = await TestAsync(silo, "shp_1", "--bill", "--dry-run");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--bill and --dry-run contradict each other", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(silo.Requests);
    }

    [Fact]
    public async Task ShopThatFailsShowsItsErrorAndExitsWithShopsFailed()
    {
        var failed = Invoiced with
        {
            Succeeded = 0,
            Failed = 1,
            InvoicesIssued = 0,
            Totals = "[]",
            Results = List(Result("shp_1", "failed", 3, "no billing plan for shop")),
            Failures = List(Failure("shp_1", "no billing plan for shop", 3)),
        };
        await using var silo = Silo("shp_1", failed);

        var run = await TestAsync(silo, "shp_1");

        Assert.Equal(ExitCodes.ShopsFailed, run.ExitCode);
        Assert.Equal("Shop shp_1: failed, period 2025-06, 3 attempts.\nError: no billing plan for shop\nNo invoice.\n", run.Stdout);
    }

    [Fact]
    public async Task UnknownShopExits4WithTheSilosProblem()
    {
        await using var silo = Silo("shp_1", Invoiced);

        var run = await TestAsync(silo, "shp_404");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Equal("billing: POST /api/billing-scheduler/process-shop-billing/shp_404 answered 404 (Shop not found: No shop shp_404.).\n", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task JsonPrintsTheSilosResultAsIs()
    {
        await using var silo = Silo("shp_1", Invoiced);

        var run = await TestAsync(silo, "shp_1", "--json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var result = JsonDocument.Parse(run.Stdout);
        var line = result.RootElement.GetProperty("results")[0].GetProperty("invoices")[0].GetProperty("lines")[0];
        Assert.Equal(0.0100m, line.GetProperty("unit_price").GetDecimal());
    }
}
