extern alias cli;
using Billing.Silo.Tests.Catalog;
using CliApp = cli::Billing.Cli.CliApp;
using GlobalOptions = cli::Billing.Cli.Commands.GlobalOptions;

namespace Billing.Silo.Tests.Readme;

/// <summary>The <c>billing</c> CLI run in-process against a test silo: its clock, its in-memory server, the admin key in the environment.</summary>
internal static class InProcessCli
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="args"/> (a <c>--url</c> among them is replaced by the silo's server); exit code, stdout, stderr.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(CatalogSilo silo, params string[] args) =>
        RunThroughAsync(silo, silo.Server.CreateHandler(), args);

    /// <summary>As <see cref="RunAsync"/>, its requests sent through <paramref name="handler"/> (the silo's server, wrapped by the test).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunThroughAsync(CatalogSilo silo, HttpMessageHandler handler, params string[] args)
    {
        var words = new List<string>(args);
        var url = words.IndexOf("--url");
        if (url >= 0)
        {
            words.RemoveRange(url, Math.Min(2, words.Count - url));
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["BILLING_ADMIN_KEY"] = CatalogSilo.AdminKey };
        var globals = new GlobalOptions(name => environment.GetValueOrDefault(name), silo.Time, handler);
        using var bound = new CancellationTokenSource(Bound);
        var exitCode = await CliApp.RunAsync([.. words, "--url", "http://localhost"], stdout, stderr, globals, bound.Token);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
