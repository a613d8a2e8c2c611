using Billing.Runtime.Hosting;
using Billing.Runtime.Storage.Sql;
using Billing.Runtime.Testing;
using Billing.Runtime.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Runtime.Tests.Storage;

public sealed class SchemaMigratorTests
{
    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task MigrationsApplyOnceAndAreRecorded(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using (var first = await Silos.StartAsync(database, new Probe()))
        {
            Assert.Equal(1, await first.Services.GetRequiredService<StorageInitializer>().EnsureInitializedAsync());
        }

        await using var second = await Silos.StartAsync(database, new Probe());
        var migrator = second.Services.GetRequiredService<SchemaMigrator>();
        Assert.Empty(await migrator.MigrateAsync(CancellationToken.None));

        var sql = second.Services.GetRequiredService<SqlDatabase>();
        var recorded = await sql.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT COUNT(*) FROM schema_migrations WHERE module = 'runtime'");
                return await command.ScalarInt64Async(ct);
            },
            CancellationToken.None);
        Assert.Equal(1L, recorded);
    }

    [Fact]
    public async Task UnreachablePostgresGivesOneLineNamingTheServer()
    {
        await using var database = new PostgresDatabase("Host=127.0.0.1;Port=1;Database=billing;Username=postgres;Password=x;Timeout=3");
        var initializer = new StorageInitializer(database, new SchemaMigrator(database, [], TimeProvider.System));

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(initializer.EnsureInitializedAsync);

        Assert.StartsWith("Cannot open PostgreSQL database 'billing' at 127.0.0.1:1: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
