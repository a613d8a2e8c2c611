using Billing.Silo.Hosting;
using Billing.Silo.Storage.Sql;
using Billing.Testing;

namespace Billing.Silo.Tests.Storage;

public sealed class SchemaMigratorTests
{
    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task MigrationsApplyOnceAndAreRecorded(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        var sql = database.Open();
        var orleans = new EmbeddedMigrationSource(typeof(SqlDatabase).Assembly, "orleans", "Migrations.Orleans");
        // PostgreSQL: one script for every Orleans provider; SQLite: the reminder table, then the grain state table.
        var scripts = dialect == StorageOptions.Postgres ? 1 : 2;
        Assert.Equal(scripts, (await new SchemaMigrator(sql, [orleans], TimeProvider.System).MigrateAsync(CancellationToken.None)).Count);

        // A second silo starting over the same database applies nothing.
        Assert.Empty(await new SchemaMigrator(sql, [orleans], TimeProvider.System).MigrateAsync(CancellationToken.None));
        var recorded = await sql.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT COUNT(*) FROM schema_migrations WHERE module = 'orleans'");
                return await command.ScalarInt64Async(ct);
            },
            CancellationToken.None);
        Assert.Equal(scripts, recorded);
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
