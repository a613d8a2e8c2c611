using Billing.Cli.LoadTest;

namespace Billing.Cli.Tests;

public sealed class LoadTestOptionsTests
{
    [Theory]
    [InlineData("http://10.0.0.1:5080")]
    [InlineData("http://192.168.1.20")]
    [InlineData("http://example.com:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[2001:db8::1]:5080")]
    public async Task NonLoopbackUrlIsRefusedAsAUsageErrorWithoutAllowRemote(string url)
    {
        var run = await CliRunner.RunAsync("--url", url, "loadtest", "--admin-key", "k");

        CliAssert.UsageError(run, "loadtest only targets loopback addresses (127.0.0.0/8 or [::1]) unless --allow-remote is given");
    }

    [Fact]
    public async Task NonLoopbackBillingUrlVariableIsRefusedToo()
    {
        var environment = new Dictionary<string, string> { ["BILLING_URL"] = "http://10.0.0.1:5080", ["BILLING_ADMIN_KEY"] = "k" };

        var run = await CliRunner.RunWithEnvironmentAsync(environment, "loadtest");

        CliAssert.UsageError(run, "loadtest only targets loopback addresses (127.0.0.0/8 or [::1]) unless --allow-remote is given; refusing http://10.0.0.1:5080.");
    }

    [Fact]
    public async Task InvalidUrlGetsOnlyItsOwnError()
    {
        var run = await CliRunner.RunAsync("--url", "ftp://10.0.0.1", "loadtest", "--admin-key", "k");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("billing: --url 'ftp://10.0.0.1' is not an absolute http(s) URL", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("loopback", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.200.3.4:5080/prefix")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://[::ffff:127.0.0.1]:5080")]
    public void LiteralLoopbackUrlsAreAllowedWithoutTheFlag(string url) =>
        Assert.Null(TargetPolicy.Refusal(new Uri(url), allowRemote: false));

    [Fact]
    public void AllowRemoteLetsAnyUrlThrough() =>
        Assert.Null(TargetPolicy.Refusal(new Uri("http://10.0.0.1:5080"), allowRemote: true));

    [Theory]
    [InlineData("--shops", "0", "--shops must be a whole number from 1 to 100000, got '0'.")]
    [InlineData("--shops", "100001", "--shops must be a whole number from 1 to 100000, got '100001'.")]
    [InlineData("--connections", "1025", "--connections must be a whole number from 1 to 1024, got '1025'.")]
    [InlineData("--connections", "0", "--connections must be a whole number from 1 to 1024, got '0'.")]
    [InlineData("--duration-seconds", "601", "--duration-seconds must be a whole number of seconds from 1 to 600, got '601'.")]
    [InlineData("--duration-seconds", "0", "--duration-seconds must be a whole number of seconds from 1 to 600, got '0'.")]
    [InlineData("--warmup-seconds", "61", "--warmup-seconds must be a whole number of seconds from 0 to 60, got '61'.")]
    [InlineData("--tokens-per-call", "1000001", "--tokens-per-call must be a whole number from 1 to 1000000, got '1000001'.")]
    [InlineData("--tokens-per-call", "abc", "--tokens-per-call must be a whole number from 1 to 1000000, got 'abc'.")]
    [InlineData("--max-requests", "-5", "--max-requests must be a whole number from 1 to 1000000000, got '-5'.")]
    [InlineData("--tokens-per-customer", "1000000000001", "--tokens-per-customer must be a whole number from 1 to 1000000000000, got '1000000000001'.")]
    public async Task OptionOutsideItsRangeIsAUsageErrorNamingTheValue(string option, string value, string message)
    {
        var run = await CliRunner.RunAsync("loadtest", "--admin-key", "k", option, value);

        CliAssert.UsageError(run, message);
    }

    [Fact]
    public async Task MissingAdminKeyIsAUsageErrorNamingBothWaysToGiveIt()
    {
        var run = await CliRunner.RunAsync("loadtest");

        CliAssert.UsageError(run, "loadtest needs the silo's admin key: pass --admin-key or set $BILLING_ADMIN_KEY.");
    }

    [Theory]
    [InlineData("--url")]
    [InlineData("--shops")]
    public async Task OptionWithoutItsValueIsAUsageError(string option)
    {
        var run = await CliRunner.RunAsync("loadtest", "--admin-key", "k", option);

        CliAssert.UsageError(run, $"Required argument missing for option: '{option}'.");
    }

    [Fact]
    public async Task AdminKeyOptionWithoutAValueIsAUsageErrorEvenWhenTheVariableIsSet()
    {
        var environment = new Dictionary<string, string> { ["BILLING_ADMIN_KEY"] = "k" };

        var run = await CliRunner.RunWithEnvironmentAsync(environment, "loadtest", "--admin-key");

        CliAssert.UsageError(run, "loadtest needs the silo's admin key: pass --admin-key or set $BILLING_ADMIN_KEY.");
    }

    [Fact]
    public async Task HelpListsLoadtestAndItsOptions()
    {
        var run = await CliRunner.RunAsync("loadtest", "--help");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        foreach (var option in new[] { "--shops", "--connections", "--duration-seconds", "--warmup-seconds", "--tokens-per-call", "--allow-remote", "--seed" })
        {
            Assert.Contains(option, run.Stdout, StringComparison.Ordinal);
        }
    }
}
