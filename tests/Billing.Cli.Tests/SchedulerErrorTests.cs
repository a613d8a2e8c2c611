namespace Billing.Cli.Tests;

/// <summary>What every scheduler command does when the silo refuses the admin key or is not there.</summary>
public sealed class SchedulerErrorTests
{
    [Theory]
    [InlineData("POST /api/billing-scheduler/process-monthly-billing", "process")]
    [InlineData("GET /api/billing-scheduler/status", "status")]
    [InlineData("POST /api/billing-scheduler/process-shop-billing/shp_1", "test", "shp_1")]
    public async Task WrongAdminKeyExits4WithTheSilosAnswerAndAHint(string call, params string[] command)
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript());

        var run = await CliRunner.RunAsync(["--url", silo.Url.ToString(), .. command, "--admin-key", "wrong"]);

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Equal(
            $"billing: {call} answered 401 (Unauthorized: The admin key is missing or wrong.). Check --admin-key or $BILLING_ADMIN_KEY.\n",
            run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.Equal(["Bearer wrong"], silo.Authorizations);
    }

    [Theory]
    [InlineData("process")]
    [InlineData("status")]
    [InlineData("test", "shp_1")]
    public async Task NothingListeningExits2WithOneStderrLine(params string[] command)
    {
        var port = FakeSilo.UnusedPort();

        var run = await CliRunner.RunAsync(["--url", $"http://127.0.0.1:{port}", .. command, "--admin-key", "k"]);

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Equal($"billing: cannot reach http://127.0.0.1:{port}: Connection refused\n", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task AdminKeyMayComeFromTheEnvironment()
    {
        await using var silo = new FakeSchedulerSilo(new SchedulerScript());
        var environment = new Dictionary<string, string> { ["BILLING_ADMIN_KEY"] = FakeSchedulerSilo.AdminKey, ["BILLING_URL"] = silo.Url.ToString() };

        var run = await CliRunner.RunWithEnvironmentAsync(environment, "status");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["Bearer admin-secret"], silo.Authorizations);
    }
}
