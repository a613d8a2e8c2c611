namespace Billing.Browser.Tests;

/// <summary>The console's silos: a month of business billed.</summary>
public sealed class ConsoleBrowserFixture : SiloBrowserFixture<ConsoleSilo>
{
    private protected override Task<ConsoleSilo> StartAsync(string storage) => ConsoleSilo.StartAsync(storage);
}
