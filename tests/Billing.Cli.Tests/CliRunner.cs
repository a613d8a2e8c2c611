namespace Billing.Cli.Tests;

internal sealed record CliRun(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the CLI in-process with captured output and an environment that contains only what the test says.</summary>
internal static class CliRunner
{
    // Far above any timeout a test passes to the CLI, so hitting it means a hang, not a slow machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static async Task<CliRun> RunAsync(params string[] args) => await RunWithEnvironmentAsync(new Dictionary<string, string>(), args);

    public static async Task<CliRun> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var cancel = new CancellationTokenSource(Bound);
        var exitCode = await CliApp.RunAsync(args, stdout, stderr, name => environment.GetValueOrDefault(name), cancel.Token).WaitAsync(Bound);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}

internal static class CliAssert
{
    /// <summary>A usage error: exit 64, the message on stderr after the "billing: " prefix, nothing on stdout.</summary>
    public static void UsageError(CliRun run, string message)
    {
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"billing: {message}", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }
}
