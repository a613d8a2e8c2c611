using System.Reflection;

namespace Billing.Cli.Tests;

public sealed class VersionCommandTests
{
    [Fact]
    public async Task VersionPrintsTheCliAssemblyInformationalVersionAndExits0()
    {
        var expected = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var run = await CliRunner.RunAsync("version");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(expected + Environment.NewLine, run.Stdout);
        Assert.False(string.IsNullOrWhiteSpace(expected));
    }
}
