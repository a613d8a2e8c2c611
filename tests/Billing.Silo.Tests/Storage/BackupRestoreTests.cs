using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Billing.Silo.Tests.Storage;

/// <summary>
/// deploy/backup.sh and deploy/restore.sh on a real PostgreSQL: the silo's whole state goes through
/// pg_dump and pg_restore, and a silo on the copy carries on where the original stopped.
/// </summary>
public sealed class BackupRestoreTests
{
    private static readonly DateTimeOffset November21 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset UtcShopsClosed = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private const string Reminders = "SELECT grainid || '/' || remindername || '/' || starttime || '/' || period FROM orleansremindertable ORDER BY 1";

    [Fact]
    public Task RestoredDatabaseContinuesInvoiceNumberingAndReadsBackTheSameFigures() => WithDumpAsync(async (source, copy, dump) =>
    {
        var (shops, before, reminders) = await CloseTheUtcShopsAsync(source);
        // As if the dump were taken from a running cluster, or its silo had crashed: its row still says Active (3; Dead is 6).
        await ExecuteAsync(source, "UPDATE orleansmembershiptable SET status = 3");

        await ScriptSucceedsAsync("backup.sh", "-d", Name(source), "-o", dump);
        await ScriptSucceedsAsync("restore.sh", dump, Name(copy));

        Assert.Equal(reminders, await ReadAsync(copy.Open(), Reminders));
        await using var silo = CatalogSilo.Start(copy, configure: null, UtcShopsClosed);
        Assert.Equal(before, await FiguresAsync(silo, shops));
        // Los Angeles' November ends at 08:00 UTC; its close reminder, restored from the dump, issues the next number.
        await BillingScenario.AdvanceAndTickAsync(silo, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal(new[] { "INV-2026-000001", "INV-2026-000002", "INV-2026-000003" }, await BillingScenario.InvoiceNumbersAsync(silo));
        Assert.Equal("INV-2026-000003", (await InvoicesAsync(silo, shops[2].Key))[0].GetProperty("number").GetString());
        // The original silo's row, restored as Active, was marked Dead by the script: only the restored silo is Active.
        Assert.Equal(new[] { "3", "6" }, await ReadAsync(copy.Open(), "SELECT status::text FROM orleansmembershiptable ORDER BY status"));
    });

    [Fact]
    public Task RestoreRefusesADatabaseThatHoldsTablesUnlessForced() => WithDumpAsync(async (source, target, dump) =>
    {
        await ExecuteAsync(source, "CREATE TABLE kept (id INT); INSERT INTO kept VALUES (7)");
        await ExecuteAsync(target, "CREATE TABLE unrelated (id INT)");
        await ScriptSucceedsAsync("backup.sh", "-d", Name(source), "-o", dump);

        var refused = await DeployScript.RunAsync("restore.sh", dump, Name(target));
        await ScriptSucceedsAsync("restore.sh", "--force", dump, Name(target));

        Assert.Equal(65, refused.ExitCode);
        Assert.Contains($"database {Name(target)} already holds 1 tables", refused.Output, StringComparison.Ordinal);
        Assert.Equal(7, await BillingScenario.CountAsync(target.Open(), "SELECT SUM(id) FROM kept"));
    });

    /// <summary>
    /// A source and a target database and a dump file's path, all removed afterwards. Fails, naming
    /// the package, when PostgreSQL's client tools are missing: CI installs them.
    /// </summary>
    private static async Task WithDumpAsync(Func<TestDatabase, TestDatabase, string, Task> test)
    {
        DeployScript.RequireTools("pg_dump", "pg_restore", "psql");
        await using var source = await TestDatabase.CreatePostgresAsync();
        await using var target = await TestDatabase.CreatePostgresAsync();
        var dump = Path.Combine(Path.GetTempPath(), $"billing-backup-test-{Guid.NewGuid():N}.dump");
        try
        {
            await test(source, target, dump);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    /// <summary>
    /// Three shops with usage in November, two in UTC and one in Los Angeles; the UTC shops' month
    /// ends close on their reminders, then the silo stops. Their figures and the reminders, as read then.
    /// </summary>
    private static async Task<((string CustomerId, string ShopId, string Key)[] Shops, IReadOnlyList<string> Figures, IReadOnlyList<string> Reminders)> CloseTheUtcShopsAsync(TestDatabase database)
    {
        await using var silo = CatalogSilo.Start(database, configure: null, November21);
        var shops = new[] { await BillingScenario.CustomerAsync(silo, "UTC", "A"), await BillingScenario.CustomerAsync(silo, "UTC", "B"), await BillingScenario.CustomerAsync(silo, "America/Los_Angeles", "C") };
        await BillingScenario.ConsumeAsync(silo, shops[0].Key, 5);
        await BillingScenario.ConsumeAsync(silo, shops[1].Key, 3);
        await BillingScenario.ConsumeAsync(silo, shops[2].Key, 2);
        await BillingScenario.AdvanceAndTickAsync(silo, UtcShopsClosed);

        Assert.Equal(new[] { "INV-2026-000001", "INV-2026-000002" }, await BillingScenario.InvoiceNumbersAsync(silo));
        var reminders = await ReadAsync(silo.Services.GetRequiredService<SqlDatabase>(), Reminders);
        Assert.Equal(3, reminders.Count);
        var figures = await FiguresAsync(silo, shops);
        Assert.Contains("\"tokens_remaining\":999995", figures[2], StringComparison.Ordinal); // A's subscription: 1,000,000 less 5 calls
        Assert.Contains("\"tokens_remaining\":999997", figures[6], StringComparison.Ordinal); // B's: 3 calls
        return (shops, figures, reminders);
    }

    /// <summary>What each shop reads about its money, as the API answers it: invoices, periods, tokens.</summary>
    private static async Task<IReadOnlyList<string>> FiguresAsync(CatalogSilo silo, (string CustomerId, string ShopId, string Key)[] shops)
    {
        var figures = new List<string>();
        foreach (var shop in shops[..2])
        {
            using var client = BillingScenario.Client(silo, shop.Key);
            foreach (var path in new[] { "/api/v1/billing/invoices", "/api/v1/billing/periods", "/api/v1/billing/subscription" })
            {
                figures.Add($"{shop.ShopId} {path}: {await silo.GetAsync(client, path)}");
            }

            var invoice = (await InvoicesAsync(silo, shop.Key))[0].GetProperty("id").GetString();
            figures.Add($"{shop.ShopId} invoice: {await silo.GetAsync(client, $"/api/v1/billing/invoices/{invoice}")}");
        }

        return figures;
    }

    private static async Task<System.Text.Json.JsonElement[]> InvoicesAsync(CatalogSilo silo, string key)
    {
        using var client = BillingScenario.Client(silo, key);
        return [.. (await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray()];
    }

    private static async Task ScriptSucceedsAsync(string script, params string[] arguments)
    {
        var (exitCode, output) = await DeployScript.RunAsync(script, arguments);
        Assert.True(exitCode == 0, $"deploy/{script} exited {exitCode}: {output}");
    }

    private static Task<IReadOnlyList<string>> ReadAsync(SqlDatabase database, string sql) =>
        database.QueryListAsync(sql, c => c, r => r.GetString(0), CancellationToken.None);

    private static Task ExecuteAsync(TestDatabase database, string sql) =>
        database.Open().WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(sql);
                return await command.ExecuteNonQueryAsync(ct);
            },
            CancellationToken.None);

    private static string Name(TestDatabase database) => new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
}
