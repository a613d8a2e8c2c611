using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Billing.Browser.Tests;

/// <summary>One chromium for the class, and one silo per storage, started when a test first asks for it.</summary>
public abstract class SiloBrowserFixture<TSilo> : IAsyncLifetime
    where TSilo : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TSilo>>> silos = new(StringComparer.Ordinal);
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Task<TSilo> SiloAsync(string storage) =>
        silos.GetOrAdd(storage, s => new Lazy<Task<TSilo>>(() => StartAsync(s))).Value;

    public async Task InitializeAsync() => (playwright, Browser) = await Chromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        foreach (var silo in silos.Values.Where(s => s.IsValueCreated))
        {
            if (silo.Value.IsCompletedSuccessfully)
            {
                await silo.Value.Result.DisposeAsync();
            }
        }
    }

    private protected abstract Task<TSilo> StartAsync(string storage);
}
