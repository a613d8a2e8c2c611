using Billing.Silo.Tests.Catalog;
using Billing.Testing;

namespace Billing.Silo.Tests.Readme;

/// <summary>
/// Every <c>billing …</c> line of README.md's fenced blocks, run in document order through the CLI's own parser and
/// commands, in-process against a real silo (SQLite) on the day the README's examples are written for; each must exit 0.
/// The shop ids the README shows are bound to shops the generator examples made.
/// </summary>
public sealed class ReadmeCliExampleTests
{
    // The generator examples' "today" (November is current, September odd and paid, October even and overdue).
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    // As the README's generator block says: August begins 112 days back.
    private static readonly Dictionary<string, string> Settings = new() { ["Billing:Invoicing:MaxBackdateDays"] = "120" };

    /// <summary>The README's example shop ids: which generated shop each stands for (by name).</summary>
    private static readonly Dictionary<string, string> ShopFor = new(StringComparer.Ordinal)
    {
        ["shop_8Vd3Lq5Rw1Zn7Hc2Kt9P"] = "OCTOBER 2026 (generated)",
        ["shop_2Gm6Xy4Jb8Ns1Pf5Wq3E"] = "NOVEMBER 2026 (generated)",
    };

    [Fact]
    public async Task EveryBillingCommandOfTheReadmeRunsAndExitsZero()
    {
        var readme = ReadmeDocument.Load();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, configure: null, Now, Settings);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["BILLING_ADMIN_KEY"] = CatalogSilo.AdminKey };
        var failures = new List<string>();
        var ran = 0;
        foreach (var example in readme.Clis)
        {
            var command = await BindShopsAsync(silo, example.Command);
            var words = ShellWords.Split(command, environment.GetValueOrDefault);
            var (exitCode, stdout, stderr) = await InProcessCli.RunAsync(silo, [.. words.Skip(1)]);
            ran++;
            if (exitCode != 0)
            {
                failures.Add($"README line {example.Line}: {example.Command}\n    exit {exitCode}: {stderr.Trim()} {Shorten(stdout)}");
            }
        }

        Assert.True(ran >= 13, $"only {ran} billing examples found in the README");
        Assert.True(failures.Count == 0, $"{failures.Count} of {ran} README billing examples fail:\n{string.Join('\n', failures)}");
    }

    private static async Task<string> BindShopsAsync(CatalogSilo silo, string command)
    {
        foreach (var (example, name) in ShopFor.Where(pair => command.Contains(pair.Key, StringComparison.Ordinal)))
        {
            var shops = await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops?q={Uri.EscapeDataString(name)}");
            var shop = shops.GetProperty("shops").EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == name);
            Assert.True(shop.ValueKind != System.Text.Json.JsonValueKind.Undefined, $"no shop '{name}' to stand for {example}: the generator examples above it should have made it");
            command = command.Replace(example, shop.GetProperty("id").GetString()!, StringComparison.Ordinal);
        }

        return command;
    }

    private static string Shorten(string text) => text.Length <= 400 ? text.Trim() : text[..400] + "…";
}
