using System.Diagnostics;
using System.Globalization;
using Billing.Testing;
using Npgsql;

namespace Billing.Silo.Tests.Storage;

/// <summary>
/// Runs one of the scripts in deploy/ (copied beside the tests) as an operator would, with the test
/// server's connection in libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD), bounded in time.
/// </summary>
internal static class DeployScript
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>The exit code and what the script wrote to stdout and stderr (never the password: libpq reads it from the environment).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "deploy", script);
        Assert.True(File.Exists(path), $"{path} is missing: the test project copies deploy/{script} beside the tests.");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(TestDatabase.PostgresServerVariable) ?? "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres");
        start.Environment["PGHOST"] = server.Host;
        start.Environment["PGPORT"] = server.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = server.Username;
        start.Environment["PGPASSWORD"] = server.Password;
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        return await RunBoundedAsync(start, Limit, $"deploy/{script}");
    }

    /// <summary>Runs <paramref name="start"/> (output redirected) to its end; kills it and throws, with its output, past <paramref name="limit"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunBoundedAsync(ProcessStartInfo start, TimeSpan limit, string what)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{what} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish in {limit.TotalSeconds} s: {await output}{await errors}");
        }

        return (process.ExitCode, (await output) + (await errors));
    }

    /// <summary>Fails with what to install when the PostgreSQL client tools are missing: CI installs them, so the test must not pass without them.</summary>
    public static void RequireTools(params string[] tools)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var tool in tools)
        {
            Assert.True(
                path.Any(folder => File.Exists(Path.Combine(folder, tool))),
                $"{tool} is not on PATH: the backup test needs PostgreSQL's client tools (Debian: apt-get install postgresql-client-15).");
        }
    }
}
