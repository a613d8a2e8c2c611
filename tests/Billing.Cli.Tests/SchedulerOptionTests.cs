namespace Billing.Cli.Tests;

/// <summary>Command-line mistakes in the scheduler commands are usage errors (exit 64) caught before any request.</summary>
public sealed class SchedulerOptionTests
{
    [Theory]
    [InlineData("--previous-month and --period cannot be used together: give one month or the other.", "process", "--previous-month", "--period", "2025-06")]
    [InlineData("--shop-ids needs at least one shop id.", "process", "--shop-ids", ",")]
    [InlineData("shop id 'shp 1' must be 1 to 200 characters without spaces.", "process", "--shop-ids", "shp_0", "shp 1")]
    [InlineData("shop id 'shp 1' must be 1 to 200 characters without spaces.", "test", "shp 1")]
    [InlineData("--timeout-s must be a whole number of seconds from 1 to 86400, got '0'.", "process", "--timeout-s", "0")]
    [InlineData("Required argument 'shop_id' missing for command: 'test'.", "test")]
    [InlineData("Unrecognized command or argument '--timeout-s'.", "test", "shp_1", "--timeout-s", "5")]
    public async Task MistakeIsAUsageErrorWithItsMessage(string message, params string[] args)
    {
        var run = await CliRunner.RunAsync([.. args, "--admin-key", "k"]);

        CliAssert.UsageError(run, message);
    }

    [Theory]
    [InlineData("2025-6")]
    [InlineData("2025-13")]
    [InlineData("2025-00")]
    [InlineData("25-06")]
    [InlineData("2025/06")]
    [InlineData("2025-06-01")]
    [InlineData("1999-12")]
    [InlineData("june")]
    public async Task PeriodThatIsNotAMonthIsAUsageErrorNamingTheValue(string period)
    {
        var process = await CliRunner.RunAsync("process", "--admin-key", "k", "--period", period);
        var test = await CliRunner.RunAsync("test", "shp_1", "--admin-key", "k", "--period", period);

        var message = $"--period must be a month written YYYY-MM from 2000-01 on (for example 2025-06), got '{period}'.";
        CliAssert.UsageError(process, message);
        CliAssert.UsageError(test, message);
    }

    [Theory]
    [InlineData("process")]
    [InlineData("status")]
    [InlineData("test", "shp_1")]
    public async Task MissingAdminKeyIsAUsageErrorNamingBothWaysToGiveIt(params string[] args)
    {
        var run = await CliRunner.RunAsync(args);

        CliAssert.UsageError(run, $"{args[0]} needs the silo's admin key: pass --admin-key or set $BILLING_ADMIN_KEY.");
    }

    [Fact]
    public async Task HelpListsTheSchedulerCommands()
    {
        var run = await CliRunner.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("process", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("status", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("test <shop_id>", run.Stdout, StringComparison.Ordinal);
    }
}
