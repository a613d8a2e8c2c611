using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Billing.Runtime.Testing;
using Xunit.Abstractions;

namespace Billing.Silo.Tests;

/// <summary>The built silo as a user starts it: a separate process on a loopback port.</summary>
public sealed class SiloProcessTests(ITestOutputHelper output)
{
    private static readonly string SiloDll = typeof(Program).Assembly.Location;

    [Fact]
    public async Task FreshSiloServesHealthWithinSecondsOnTheEmbeddedDefault()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("billing-silo-").FullName;
        var port = FreePort();
        var started = Stopwatch.StartNew();
        using var silo = Start(workingDirectory, port, new Dictionary<string, string>());
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var status = await PollHealthAsync(http, port, TimeSpan.FromSeconds(20));
            output.WriteLine($"/health answered {status} after {started.ElapsedMilliseconds} ms");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(File.Exists(Path.Combine(workingDirectory, "data", "billing.db")), "the SQLite file lives under ./data");
        }
        finally
        {
            silo.Kill(entireProcessTree: true);
            await silo.WaitForExitAsync();
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task UnreachableDatabaseStopsStartWithOneClearLine()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("billing-silo-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Billing__Storage"] = "postgres",
            ["ConnectionStrings__Billing"] = "Host=127.0.0.1;Port=1;Database=billing;Username=postgres;Password=x;Timeout=3",
        };
        using var silo = Start(workingDirectory, FreePort(), environment);
        var stderr = silo.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.WaitForExitAsync(timeout.Token);
        Directory.Delete(workingDirectory, recursive: true);

        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, silo.ExitCode);
        var line = Assert.Single(lines);
        Assert.StartsWith("billing-silo: Cannot open PostgreSQL database 'billing' at 127.0.0.1:1: ", line, StringComparison.Ordinal);
    }

    private static Process Start(string workingDirectory, int port, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [SiloDll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = false,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment.Remove(TestDatabase.PostgresServerVariable);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
    }

    private static async Task<HttpStatusCode?> PollHealthAsync(HttpClient http, int port, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
