using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Billing.Silo.Tests;

/// <summary>The built silo as a user starts it: a separate process on a loopback port.</summary>
public sealed class SiloProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FreshSiloServesHealthWithinSecondsOnTheEmbeddedDefault()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("billing-silo-").FullName;
        var started = Stopwatch.StartNew();
        using (var silo = SiloProcess.Start(workingDirectory, new Dictionary<string, string>()))
        {
            var status = await silo.WaitHealthyAsync(TimeSpan.FromSeconds(20));
            output.WriteLine($"/health answered {status} after {started.ElapsedMilliseconds} ms");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(File.Exists(Path.Combine(workingDirectory, "data", "billing.db")), "the SQLite file lives under ./data");
            await silo.KillAsync();
        }

        Directory.Delete(workingDirectory, recursive: true);
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
        using var silo = SiloProcess.Start(workingDirectory, environment);
        var stderr = silo.Process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.Process.WaitForExitAsync(timeout.Token);
        Directory.Delete(workingDirectory, recursive: true);

        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, silo.Process.ExitCode);
        var line = Assert.Single(lines);
        Assert.StartsWith("billing-silo: Cannot open PostgreSQL database 'billing' at 127.0.0.1:1: ", line, StringComparison.Ordinal);
    }
}
