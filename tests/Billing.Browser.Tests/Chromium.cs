using Microsoft.Playwright;

namespace Billing.Browser.Tests;

/// <summary>
/// Debian's chromium driven by the Playwright package's own node driver. No browser is ever
/// downloaded: tests/test.sh installs the <c>chromium</c> package, and <c>BILLING_CHROMIUM</c>
/// may point elsewhere.
/// </summary>
internal static class Chromium
{
    public const string PathVariable = "BILLING_CHROMIUM";
    private const string DebianPath = "/usr/bin/chromium";

    /// <summary>Every wait on a page (navigation, clicks, assertions) ends within this.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured ? configured : DebianPath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"No chromium at {executable}: run tests/test.sh, which installs Debian's chromium, or set {PathVariable}.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            // Playwright passes --no-sandbox itself (its chromiumSandbox defaults to off), which
            // chromium needs when the tests run as root, as CI does.
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Timeout = (float)TimeSpan.FromSeconds(60).TotalMilliseconds,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public static async Task<IPage> NewPageAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync();
        context.SetDefaultTimeout((float)WaitLimit.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)WaitLimit.TotalMilliseconds);
        return await context.NewPageAsync();
    }
}
