using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Npgsql;

namespace Billing.Silo.Tests.Storage;

public sealed class PostgresDatabaseTests
{
    private const string Server = "Host=127.0.0.1;Database=billing;Username=postgres;Password=x";

    [Fact]
    public async Task PreparesStatementsAndSkipsTheResetByDefault()
    {
        await using var database = new PostgresDatabase(Server);

        var effective = new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString);
        Assert.Equal(32, effective.MaxAutoPrepare);
        Assert.True(effective.NoResetOnClose);
    }

    [Theory]
    [InlineData("Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("max auto prepare=0;NO RESET ON CLOSE=false")]
    [InlineData("MaxAutoPrepare=0;NoResetOnClose=false")]
    public async Task KeepsWhatTheConnectionStringSets(string settings)
    {
        await using var database = new PostgresDatabase(Server + ";" + settings);

        var effective = new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString);
        Assert.Equal(0, effective.MaxAutoPrepare);
        Assert.False(effective.NoResetOnClose);
    }

    [Fact]
    public async Task RepeatedStatementsRunPreparedWithoutAResetBetweenUses()
    {
        await using var testDatabase = await TestDatabase.CreatePostgresAsync();
        await using var database = new PostgresDatabase(testDatabase.ConnectionString + ";Maximum Pool Size=1");
        for (var use = 0; use < 6; use++)
        {
            await using var connection = await database.DataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand("SELECT 41 + 1", connection);
            Assert.Equal(42, await command.ExecuteScalarAsync());
        }

        // The sixth use runs the statement Npgsql prepared on the fifth: the server still holds it,
        // so no DISCARD ALL ran when the connection went back to the pool in between.
        await using var probe = await database.DataSource.OpenConnectionAsync();
        await using var prepared = new NpgsqlCommand("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement = 'SELECT 41 + 1'", probe);
        Assert.Equal(1L, await prepared.ExecuteScalarAsync());
    }
}
