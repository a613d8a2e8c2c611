using System.Net;
using System.Net.Http.Headers;
using Billing.Silo.Tests;
using Billing.Testing;

namespace Billing.Browser.Tests;

/// <summary>A real silo process on a loopback port over a throwaway database, as the browser tests start it; disposing it ends both.</summary>
public abstract class BrowserSilo : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly Started started;

    private protected BrowserSilo(Started started) => this.started = started;

    public Uri Url => started.Process.Url;

    public HttpClient CreateClient(string? bearer = null)
    {
        var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return http;
    }

    public async ValueTask DisposeAsync()
    {
        started.Process.Dispose();
        await started.Database.DisposeAsync();
        Directory.Delete(started.WorkingDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the silo on <paramref name="database"/> with <paramref name="adminKey"/> and waits until it is healthy; on failure nothing is left behind.</summary>
    private protected static async Task<Started> StartProcessAsync(TestDatabase database, string adminKey, IReadOnlyDictionary<string, string>? settings = null)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("billing-browser-").FullName;
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Billing__Storage"] = database.Storage,
            ["ConnectionStrings__Billing"] = database.ConnectionString,
            ["Billing__AdminKey"] = adminKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var process = SiloProcess.Start(workingDirectory, environment);
        var status = await process.WaitHealthyAsync(StartLimit);
        if (status != HttpStatusCode.OK)
        {
            process.Dispose();
            await database.DisposeAsync();
            Directory.Delete(workingDirectory, recursive: true);
            throw new InvalidOperationException(
                $"the {database.Storage} silo did not become healthy within {StartLimit.TotalSeconds} s (status {status?.ToString() ?? "none"})");
        }

        return new Started(database, process, workingDirectory);
    }

    private protected sealed record Started(TestDatabase Database, SiloProcess Process, string WorkingDirectory);
}
