using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Billing.Testing;

namespace Billing.Silo.Tests.Catalog;

public sealed partial class AdminKeyTests
{
    [GeneratedRegex(@"^billing-silo: generated admin key (bk_admin_[0-9A-Za-z]{38}); it is shown only now\r?\n$")]
    private static partial Regex GeneratedKeyLine();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task GeneratedAdminKeyIsPrintedOnceAndStillWorksAfterARestart(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        string adminKey;
        await using (var first = CatalogSilo.Start(database, adminKey: null))
        {
            using var anonymous = first.CreateClient();
            await first.GetAsync(anonymous, "/api/v1/admin/plans", HttpStatusCode.Unauthorized);
            var match = GeneratedKeyLine().Match(first.ConsoleOutput);
            Assert.True(match.Success, $"printed: {first.ConsoleOutput}");
            adminKey = match.Groups[1].Value;
            Assert.Equal(64, (await first.Store.GetSettingAsync("admin_key_sha256", CancellationToken.None))!.Length);
        }

        await using var restarted = CatalogSilo.Start(database, adminKey: null);
        using var admin = restarted.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);

        var plans = await restarted.GetAsync(admin, "/api/v1/admin/plans");

        Assert.Equal("""{"plans":[],"next_after":null}""", plans.GetRawText());
        Assert.Equal(string.Empty, restarted.ConsoleOutput);
    }

    [Fact]
    public async Task ConfiguredAdminKeyIsUsedAndNothingIsGeneratedOrPrinted()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);

        await silo.GetAsync(silo.Admin, "/api/v1/admin/plans");

        Assert.Equal(string.Empty, silo.ConsoleOutput);
        Assert.Null(await silo.Store.GetSettingAsync("admin_key_sha256", CancellationToken.None));
    }

    [Fact]
    public async Task ConfiguredAdminKeyTakesPrecedenceOverAStoredGeneratedOne()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using (var generated = CatalogSilo.Start(database, adminKey: null))
        {
            await generated.GetAsync(generated.Admin, "/health");
        }

        await using var configured = CatalogSilo.Start(database);

        await configured.GetAsync(configured.Admin, "/api/v1/admin/plans");
    }
}
