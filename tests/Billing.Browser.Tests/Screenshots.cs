using Microsoft.Playwright;

namespace Billing.Browser.Tests;

/// <summary>Screenshots for the README, saved under the repository's <c>docs/</c>.</summary>
internal static class Screenshots
{
    // The test binary sits a few folders below the repository root (tests/X/bin/Debug/net10.0).
    private const int MaxDepth = 10;

    /// <summary>Saves the whole page as <c>docs/{folder}/{name}.png</c> and returns the path.</summary>
    public static async Task<string> SaveAsync(IPage page, string folder, string name)
    {
        var path = Path.Combine(RepositoryRoot(), "docs", folder, $"{name}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var depth = 0; depth < MaxDepth && directory is not null; depth++, directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Billing.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Billing.Orleans.sln within {MaxDepth} folders above {AppContext.BaseDirectory}.");
    }
}
