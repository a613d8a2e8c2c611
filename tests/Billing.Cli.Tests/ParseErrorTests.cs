namespace Billing.Cli.Tests;

public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("ftp://127.0.0.1:5080")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("/var/run/silo")]
    [InlineData("not a url")]
    public async Task UrlThatIsNotAbsoluteHttpIsAUsageErrorNamingTheValue(string url)
    {
        var run = await CliRunner.RunAsync("--url", url, "health");

        CliAssert.UsageError(run, $"--url '{url}' is not an absolute http(s) URL");
    }

    [Fact]
    public async Task BadBillingUrlVariableIsAUsageErrorNamingIt()
    {
        var environment = new Dictionary<string, string> { ["BILLING_URL"] = "localhost" };

        var run = await CliRunner.RunWithEnvironmentAsync(environment, "health");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("billing: $BILLING_URL 'localhost' is not an absolute http(s) URL", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("60001")]
    [InlineData("abc")]
    public async Task TimeoutOutside1To60000MsIsAUsageErrorNamingTheValue(string timeoutMs)
    {
        var run = await CliRunner.RunAsync("health", "--timeout-ms", timeoutMs);

        CliAssert.UsageError(run, $"--timeout-ms must be a whole number of milliseconds from 1 to 60000, got '{timeoutMs}'.");
    }

    [Fact]
    public async Task UnknownCommandIsAUsageErrorWithoutAHelpDump()
    {
        var run = await CliRunner.RunAsync("helth");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("billing: Unrecognized command or argument 'helth'.", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpListsTheCommandsAndExits0()
    {
        var run = await CliRunner.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("health", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("version", run.Stdout, StringComparison.Ordinal);
    }
}
