using System.Diagnostics;
using System.Globalization;
using Billing.Testing;

namespace Billing.Silo.Tests.Storage;

/// <summary>
/// A PostgreSQL cluster of the test's own, in a temporary directory on a free loopback port, that
/// the test may stop and start: the shared server on 5432 serves every other test and must stay up.
/// initdb refuses root, so as root the cluster belongs to the <c>postgres</c> OS user (runuser);
/// otherwise the binaries run as the current user. Trust authentication, 127.0.0.1 only.
/// Fails, naming the package, when the server binaries are missing: CI installs them.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private const string OsUser = "postgres";
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(60);

    private readonly string binaries;
    private readonly string directory;

    private PrivatePostgres(string binaries, string directory, int port)
    {
        this.binaries = binaries;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server as <see cref="TestDatabase.CreatePostgresAsync(string)"/> takes it (user postgres, no password).</summary>
    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;SSL Mode=Disable;Timeout=5";

    /// <summary>initdb and a first start; the directory is removed again if either fails.</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        var binaries = FindBinaries();
        var directory = Path.Combine(Path.GetTempPath(), "billing-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var cluster = new PrivatePostgres(binaries, directory, FreePorts.Next());
        try
        {
            // Created by the user the server runs as, so it owns its data directory (initdb insists).
            await cluster.RunAsync("/bin/mkdir", "-p", "-m", "700", directory);
            await cluster.RunAsync(Path.Combine(binaries, "initdb"), "-D", Data(directory), "--auth=trust", "-U", OsUser, "--no-sync", "-E", "UTF8");
            await cluster.StartServerAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server and returns once it accepts connections (pg_ctl -w, bounded).</summary>
    public Task StartServerAsync() =>
        RunAsync(
            Path.Combine(binaries, "pg_ctl"), "-D", Data(directory), "-l", Path.Combine(directory, "server.log"), "-w", "-t", "30",
            "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {directory} -c listen_addresses=127.0.0.1", "start");

    /// <summary>Kills the server as a crash would (immediate mode: no checkpoint, clients cut off); the next start recovers from the WAL.</summary>
    public Task StopServerAsync() =>
        RunAsync(Path.Combine(binaries, "pg_ctl"), "-D", Data(directory), "-m", "immediate", "-w", "-t", "30", "stop");

    /// <summary>Starts the server unless it runs (a test that failed mid-outage leaves it stopped).</summary>
    public async Task EnsureRunningAsync()
    {
        if (!IsRunning)
        {
            await StartServerAsync();
        }
    }

    // pg_ctl removes the pid file on a stop; an immediate stop too.
    private bool IsRunning => File.Exists(Path.Combine(Data(directory), "postmaster.pid"));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (IsRunning)
            {
                await StopServerAsync();
            }
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static string Data(string directory) => Path.Combine(directory, "data");

    /// <summary>The bin directory of the highest PostgreSQL version installed the Debian way.</summary>
    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Directory, "initdb")) && File.Exists(Path.Combine(d.Directory, "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Directory)
                .FirstOrDefault()
            : null;
        Assert.True(found is not null, $"No PostgreSQL server binaries (initdb, pg_ctl) under {root}/*/bin: the outage test starts and stops a cluster of its own (Debian: apt-get install postgresql-15).");
        return found!;
    }

    /// <summary>Runs one step as the cluster's owner, bounded in time; fails with its output when it fails.</summary>
    private async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.IsPrivilegedProcess ? "/usr/sbin/runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Environment.IsPrivilegedProcess)
        {
            foreach (var prefix in new[] { "-u", OsUser, "--", program })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var step = $"{Path.GetFileName(program)} {string.Join(' ', arguments)}";
        var (exitCode, output) = await DeployScript.RunBoundedAsync(start, StepLimit, step);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{step} exited {exitCode}: {output}");
        }
    }
}
