using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Billing.Testing;

namespace Billing.Silo.Tests;

/// <summary>The built silo as a user runs it: a separate process on a free loopback port.</summary>
internal sealed class SiloProcess : IDisposable
{
    private static readonly string SiloDll = typeof(Program).Assembly.Location;

    private const int TailLines = 200;
    private readonly Queue<string> tail = new();

    private SiloProcess(Process process, int port)
    {
        Process = process;
        Port = port;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public Process Process { get; }

    /// <summary>The last lines the silo wrote to stdout (its console log), for a failing test to show.</summary>
    public IReadOnlyList<string> OutputTail
    {
        get
        {
            lock (tail)
            {
                return [.. tail];
            }
        }
    }

    public int Port { get; }

    public Uri Url { get; }

    public static SiloProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        var chosen = port ?? FreePort();
        var start = new ProcessStartInfo("dotnet", [SiloDll, "--urls", $"http://127.0.0.1:{chosen}"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Each silo process on its own loopback silo port (tests run several at once), no gateway,
        // unless the test's environment says otherwise.
        foreach (var (key, value) in FreePorts.SiloSettings("silo-process"))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment.Remove(TestDatabase.PostgresServerVariable);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        var silo = new SiloProcess(process, chosen);
        process.OutputDataReceived += (_, line) => silo.Keep(line.Data);
        process.BeginOutputReadLine();
        return silo;
    }

    /// <summary>Polls <c>/health</c> until it answers (bounded); returns the status, or null if it never answered.</summary>
    public async Task<HttpStatusCode?> WaitHealthyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit && !Process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/health"));
                return response.StatusCode;
            }
            catch (Exception notYet) when (notYet is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or (on a busy machine) too slow to answer within the 2 s: ask again.
                await Task.Delay(100);
            }
        }

        return null;
    }

    /// <summary>SIGKILL: no shutdown, no flush, exactly what a crash leaves behind.</summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync();
    }

    /// <summary>
    /// SIGTERM, as a service manager or Kubernetes stops a silo: the host shuts down gracefully.
    /// (<see cref="Process.Kill()"/> would be SIGKILL.) Returns whether it exited within <paramref name="limit"/>.
    /// </summary>
    public async Task<bool> TerminateAsync(TimeSpan limit)
    {
        await SignalAsync("TERM");
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await Process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// SIGSTOP: a silent death. The process stops answering but its sockets stay open, so no peer
    /// sees a connection reset, as when a host vanishes or the network is cut. Disposing kills it.
    /// </summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    private async Task SignalAsync(string signal)
    {
        if (Process.HasExited)
        {
            return;
        }

        var start = new ProcessStartInfo("kill", [$"-{signal}", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false };
        using var kill = Process.Start(start) ?? throw new InvalidOperationException($"could not run kill -{signal}");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {Process.Id} exited with {kill.ExitCode}");
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(10_000);
        }

        Process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (tail)
        {
            tail.Enqueue(line);
            if (tail.Count > TailLines)
            {
                tail.Dequeue();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
