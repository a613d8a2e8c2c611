using System.Text;
using Billing.Cli.Scheduler;
using Billing.Contracts.Runs;

namespace Billing.Cli.Tests;

public sealed class RunProgressTests
{
    internal static RunResponse Run(int total, int processed, bool dryRun = false) => new(
        "run_1", RunResponse.Running, "api", "2025-06", dryRun, new DateTimeOffset(2025, 7, 1, 2, 0, 0, TimeSpan.Zero), FinishedAt: null,
        ShopsTotal: total, ShopsProcessed: processed, Succeeded: processed, Failed: 0, Skipped: 0, InvoicesIssued: 0, InvoicesExisting: 0,
        Totals: [], Error: null);

    [Theory]
    [InlineData(4, 1, "[#####---------------]  1/4 shops  25%  succeeded 1  failed 0  0.5 shops/s  2 s")]
    [InlineData(3, 1, "[######--------------]  1/3 shops  33%  succeeded 1  failed 0  0.5 shops/s  2 s")]
    [InlineData(0, 0, "[--------------------]  0/0 shops  0%  succeeded 0  failed 0  0.0 shops/s  2 s")]
    [InlineData(1000, 1000, "[####################]  1000/1000 shops  100%  succeeded 1000  failed 0  500.0 shops/s  2 s")]
    public void LineShowsABarOfTheShareProcessedWithCountsAndRate(int total, int processed, string expected) =>
        Assert.Equal("process  " + expected, RunProgress.Line(Run(total, processed), TimeSpan.FromSeconds(2)));

    [Fact]
    public void RunCountsBeyondTheIntRangeReadAsTheSiloWritesThem()
    {
        const string json = """
            {"run_id":"run_1","status":"completed","trigger":"api","period":"2025-06","dry_run":false,
             "started_at":"2025-07-01T02:00:00+00:00","finished_at":"2025-07-01T03:00:00+00:00",
             "shops_total":3000000000,"shops_processed":3000000000,"succeeded":3000000000,"failed":0,"skipped":0,
             "invoices_issued":2147483648,"invoices_existing":0,"totals":[{"currency":"EUR","invoices":2147483648,"subtotal":1,"vat":0,"total":1}],"error":null}
            """;

        var run = System.Text.Json.JsonSerializer.Deserialize(json, SiloJson.Default.RunResponse)!;

        Assert.Equal((3_000_000_000L, 2_147_483_648L, 2_147_483_648L), (run.ShopsTotal, run.InvoicesIssued, run.Totals[0].Invoices));
    }

    [Fact]
    public void DryRunLineSaysSo() =>
        Assert.StartsWith("dry run  [", RunProgress.Line(Run(4, 1, dryRun: true), TimeSpan.FromSeconds(1)), StringComparison.Ordinal);

    [Fact]
    public void RedirectedProgressWritesALineOnlyForEachFurtherTenthOfTheShops()
    {
        var stderr = new StringWriter();
        var progress = RunProgress.Start(stderr, TimeProvider.System);

        foreach (var processed in new[] { 0, 1, 5, 10, 11, 19, 20 })
        {
            progress.Show(Run(100, processed));
        }

        Assert.Equal(
            ["0/100", "10/100", "20/100"],
            stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split("  ")[2].Split(' ')[0]));
    }
}

public sealed class TextTableTests
{
    [Fact]
    public void ColumnsAlignWithNumbersOnTheRight()
    {
        var table = new TextTable(TextColumn.Left("shop"), TextColumn.Right("total"));
        table.Add("shp_1", "9.50");
        table.Add("shp_1234", "100.00");
        var text = new StringBuilder();

        table.AppendTo(text, "  ");

        Assert.Equal("  shop       total\n  shp_1       9.50\n  shp_1234  100.00\n", text.ToString());
    }

    [Fact]
    public void CellsFromTheSiloBecomeOneLineCutToTheLimit()
    {
        Assert.Equal("a b  c", TextTable.OneLine("a\nb\r\tc"));
        Assert.Equal(TextTable.MaxCellLength, TextTable.OneLine(new string('x', 500)).Length);
        Assert.EndsWith("…", TextTable.OneLine(new string('x', 500)), StringComparison.Ordinal);
    }
}

public sealed class RunReportTextTests
{
    [Fact]
    public void SummarySaysWhatTheSiloLeftOutOfItsLists()
    {
        var run = RunProgressTests.Run(5000, 5000) with
        {
            Status = RunResponse.Completed, Succeeded = 4997, Failed = 3, InvoicesIssued = 4997,
            Results = [new RunShopResultResponse("shp_1", RunShopResultResponse.Failed, 3, "boom", [])],
            ResultsTruncated = true,
            Failures = [new RunShopFailureResponse("shp_1", "boom", 3)],
        };

        var lines = RunReportText.Format(run).Split('\n');

        Assert.Equal(
            ["Failed shops (3)", "  shop   attempts  error", "  shp_1         3  boom", "  … and 2 more not listed.", "",
             "The silo listed only the first 1 shop results; the counts and totals above cover every shop.", ""],
            lines[^7..]);
        Assert.True(run.HasFailures);
    }
}
