using System.Text.Json;

namespace Billing.Cli.Tests;

/// <summary>End-to-end runs of <c>billing loadtest</c> against an in-memory silo; each measured phase lasts one second.</summary>
public sealed class LoadTestCommandTests
{
    private static readonly string[] ShortRun =
        ["loadtest", "--admin-key", FakeBillingSilo.AdminKey, "--shops", "5", "--connections", "4", "--duration-seconds", "1", "--warmup-seconds", "0"];

    [Fact]
    public async Task ShortRunAgainstACorrectSiloExits0WithEveryConsumeAcceptedAndConservationOk()
    {
        await using var silo = FakeBillingSilo.Correct();

        var run = await CliRunner.RunAsync([.. ShortRun, "--url", silo.Url.ToString(), "--json"]);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var report = JsonDocument.Parse(run.Stdout);
        var consume = report.RootElement.GetProperty("consume");
        var requests = consume.GetProperty("requests").GetInt64();
        Assert.True(requests > 0);
        Assert.Equal(requests, consume.GetProperty("status_counts").GetProperty("200").GetInt64());
        Assert.True(report.RootElement.GetProperty("bare").GetProperty("requests").GetInt64() > 0);
        Assert.True(report.RootElement.GetProperty("consume_to_bare_ratio").GetDouble() > 0);
        var conservation = report.RootElement.GetProperty("conservation");
        Assert.True(conservation.GetProperty("ok").GetBoolean());
        Assert.Equal(requests, conservation.GetProperty("tokens_accepted").GetInt64());
        Assert.Equal(5 * 1_000_000_000L, conservation.GetProperty("tokens_granted").GetInt64());
        Assert.Empty(silo.Faults);
    }

    [Fact]
    public async Task ConsumesBeyondTheBalanceAreCounted402AndConservationStillHolds()
    {
        await using var silo = FakeBillingSilo.Correct();
        var environment = new Dictionary<string, string> { ["BILLING_ADMIN_KEY"] = FakeBillingSilo.AdminKey };

        // Two customers of 10 tokens at 3 a call: three consumes each fit, the rest are refused.
        var run = await CliRunner.RunWithEnvironmentAsync(
            environment, "--url", silo.Url.ToString(), "loadtest", "--shops", "2", "--connections", "4", "--duration-seconds", "1",
            "--warmup-seconds", "0", "--tokens-per-customer", "10", "--tokens-per-call", "3", "--max-requests", "200", "--json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        using var report = JsonDocument.Parse(run.Stdout);
        var consume = report.RootElement.GetProperty("consume");
        Assert.Equal(200, consume.GetProperty("requests").GetInt64());
        Assert.Equal(6, consume.GetProperty("status_counts").GetProperty("200").GetInt64());
        Assert.Equal(194, consume.GetProperty("status_counts").GetProperty("402").GetInt64());
        var conservation = report.RootElement.GetProperty("conservation");
        Assert.True(conservation.GetProperty("ok").GetBoolean());
        Assert.Equal(2, conservation.GetProperty("tokens_remaining").GetInt64());
        Assert.Equal(18, conservation.GetProperty("tokens_accepted").GetInt64());
    }

    [Fact]
    public async Task SiloThatLosesOneAcceptedConsumeFailsConservationWithExit3()
    {
        await using var silo = FakeBillingSilo.LosingOneConsume();

        var run = await CliRunner.RunAsync([.. ShortRun, "--url", silo.Url.ToString(), "--max-requests", "100", "--seed", "7"]);

        Assert.Equal(ExitCodes.ConservationBroken, run.ExitCode);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("loadtest      http://127.0.0.1:", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("consume       100 requests", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("bare          100 requests", StringComparison.Ordinal));
        Assert.Contains("conservation: FAILED for 1 of 5 customers (summed: granted 5000000000, remaining ", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"  customer cus_\d+: granted 1000000000 != remaining \d+ \+ accepted \d+", run.Stdout);
    }

    [Fact]
    public async Task WrongAdminKeyStopsTheSetupWithExit4AndTheSilosAnswer()
    {
        await using var silo = FakeBillingSilo.Correct();

        var run = await CliRunner.RunAsync("--url", silo.Url.ToString(), "loadtest", "--admin-key", "wrong", "--shops", "1");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Equal("billing: loadtest setup failed: POST /api/v1/admin/plans answered 401 (unauthorized)." + Environment.NewLine, run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task NothingListeningExits2BeforeAnyLoad()
    {
        var port = FakeSilo.UnusedPort();

        var run = await CliRunner.RunAsync("--url", $"http://127.0.0.1:{port}", "loadtest", "--admin-key", "k");

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Equal($"billing: cannot reach http://127.0.0.1:{port}: Connection refused" + Environment.NewLine, run.Stderr);
    }
}
