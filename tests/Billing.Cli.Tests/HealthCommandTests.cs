namespace Billing.Cli.Tests;

public sealed class HealthCommandTests
{
    private const string HealthyJson =
        """{"status":"healthy","role":"silo","silo":"silo-1","storage":"sqlite","cluster":"connected","active_silos":1,"activations":0,"checked_at":"2025-01-01T00:00:00+00:00"}""";

    private const string DegradedJson =
        """{"status":"degraded","role":"silo","silo":"silo-2","storage":"postgres","cluster":"unreachable","active_silos":0,"activations":12,"checked_at":"2025-01-01T00:00:00+00:00"}""";

    // What the silo sends when its database does not answer: problem details, where "status" is a number.
    private const string DatabaseDownProblem =
        """{"type":"https://billing.example/problems/database-unavailable","title":"Database unavailable","status":503,"detail":"sqlite: timeout","code":"database_unavailable"}""";

    [Fact]
    public async Task HealthySiloExits0AndPrintsOneSummaryLine()
    {
        await using var silo = FakeSilo.Replying(200, HealthyJson);

        var run = await CliRunner.RunAsync("--url", silo.Url.ToString(), "health");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("healthy  silo=silo-1 storage=sqlite activations=0" + Environment.NewLine, run.Stdout);
        Assert.Equal("", run.Stderr);
        Assert.Equal(["GET /health HTTP/1.1"], silo.RequestLines);
    }

    [Fact]
    public async Task DegradedSiloExits1AndPrintsItsStatus()
    {
        await using var silo = FakeSilo.Replying(503, DegradedJson);

        var run = await CliRunner.RunAsync("--url", silo.Url.ToString(), "health");

        Assert.Equal(ExitCodes.Unhealthy, run.ExitCode);
        Assert.Equal("degraded  silo=silo-2 storage=postgres activations=12" + Environment.NewLine, run.Stdout);
    }

    [Fact]
    public async Task DatabaseDownProblemReplyExits1AndPrintsTheProblem()
    {
        await using var silo = FakeSilo.Replying(503, DatabaseDownProblem, "application/problem+json");

        var run = await CliRunner.RunAsync("--url", silo.Url.ToString(), "health");

        Assert.Equal(ExitCodes.Unhealthy, run.ExitCode);
        Assert.Equal("unhealthy  Database unavailable: sqlite: timeout" + Environment.NewLine, run.Stdout);
    }

    [Fact]
    public async Task JsonFlagPrintsTheRawReplyAndKeepsTheExitCode()
    {
        await using var silo = FakeSilo.Replying(503, DegradedJson);

        var run = await CliRunner.RunAsync("--url", silo.Url.ToString(), "health", "--json");

        Assert.Equal(ExitCodes.Unhealthy, run.ExitCode);
        Assert.Equal(DegradedJson + Environment.NewLine, run.Stdout);
    }

    [Fact]
    public async Task NothingListeningExits2WithOneStderrLine()
    {
        var port = FakeSilo.UnusedPort();

        var run = await CliRunner.RunAsync("--url", $"http://127.0.0.1:{port}", "health");

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Equal($"billing: cannot reach http://127.0.0.1:{port}: Connection refused" + Environment.NewLine, run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task SiloThatNeverAnswersExits2OnceTheTimeoutPasses()
    {
        await using var silo = FakeSilo.NeverReplying();
        var url = silo.Url.ToString().TrimEnd('/');

        var run = await CliRunner.RunAsync("--url", url, "health", "--timeout-ms", "200");

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Equal($"billing: cannot reach {url}: no answer within 200 ms" + Environment.NewLine, run.Stderr);
    }

    [Fact]
    public async Task ReplyWithoutAHealthReportExits2AndSaysSo()
    {
        await using var silo = FakeSilo.Replying(404, "<html>not here</html>", "text/html");

        var run = await CliRunner.RunAsync("--url", silo.Url.ToString(), "health");

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains("/health answered HTTP 404 without a health report", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task UrlPathPrefixIsKeptAndUrlMayFollowTheCommand()
    {
        await using var silo = FakeSilo.Replying(200, HealthyJson);

        var run = await CliRunner.RunAsync("health", "--url", new Uri(silo.Url, "billing").ToString());

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["GET /billing/health HTTP/1.1"], silo.RequestLines);
    }

    [Fact]
    public async Task BillingUrlVariableIsUsedWhenNoUrlIsGiven()
    {
        await using var silo = FakeSilo.Replying(200, HealthyJson);
        var environment = new Dictionary<string, string> { ["BILLING_URL"] = silo.Url.ToString() };

        var run = await CliRunner.RunWithEnvironmentAsync(environment, "health");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Single(silo.RequestLines);
    }
}
