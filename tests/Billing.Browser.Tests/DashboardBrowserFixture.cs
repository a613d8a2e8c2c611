namespace Billing.Browser.Tests;

/// <summary>The dashboard's silos: a shop with load behind it.</summary>
public sealed class DashboardBrowserFixture : SiloBrowserFixture<DashboardSilo>
{
    private protected override Task<DashboardSilo> StartAsync(string storage) => DashboardSilo.StartAsync(storage);
}
