using Billing.Silo.Storage;
using Billing.Silo.Storage.Sql;
using Npgsql;

namespace Billing.Testing;

/// <summary>
/// A throwaway database for one test class: a fresh PostgreSQL database on the server named by
/// <c>BILLING_TEST_POSTGRES</c> (default: the local server, user postgres), or a fresh SQLite file.
/// Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresServerVariable = "BILLING_TEST_POSTGRES";
    // Loopback: TLS would only burn CPU on both ends of the benchmark and the tests.
    private const string DefaultPostgresServer = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;SSL Mode=Disable";

    private readonly string? postgresServer;
    private readonly string? databaseName;
    private readonly string? sqliteDirectory;

    private TestDatabase(string storage, string connectionString, string? postgresServer, string? databaseName, string? sqliteDirectory)
    {
        Storage = storage;
        ConnectionString = connectionString;
        this.postgresServer = postgresServer;
        this.databaseName = databaseName;
        this.sqliteDirectory = sqliteDirectory;
    }

    /// <summary><c>sqlite</c> or <c>postgres</c>, as <c>Billing:Storage</c> takes it.</summary>
    public string Storage { get; }

    public string ConnectionString { get; }

    public static Task<TestDatabase> CreateAsync(string storage) =>
        storage switch
        {
            StorageOptions.Sqlite => Task.FromResult(CreateSqlite()),
            StorageOptions.Postgres => CreatePostgresAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(storage), storage, "sqlite or postgres"),
        };

    public static TestDatabase CreateSqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "billing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new TestDatabase(StorageOptions.Sqlite, $"Data Source={Path.Combine(directory, "billing.db")}", null, null, directory);
    }

    public static Task<TestDatabase> CreatePostgresAsync() =>
        CreatePostgresAsync(Environment.GetEnvironmentVariable(PostgresServerVariable) ?? DefaultPostgresServer);

    /// <summary>A fresh database on <paramref name="server"/> (a test's own cluster, e.g. one it stops and starts).</summary>
    public static async Task<TestDatabase> CreatePostgresAsync(string server)
    {
        var name = "billing_test_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException error)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL tests need a server: set {PostgresServerVariable} or run tests/test.sh, which installs and starts one. ({error.Message})", error);
        }

        // Tests start several silos at once; a small pool per silo keeps them under the server's max_connections.
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 12 };
        return new TestDatabase(StorageOptions.Postgres, builder.ConnectionString, server, name, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(postgresServer);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {databaseName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }

        if (sqliteDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(sqliteDirectory, recursive: true);
        }
    }

    /// <summary>The database as the silo would open it, for tests that read or write tables directly.</summary>
    public SqlDatabase Open() =>
        Storage == StorageOptions.Postgres ? new PostgresDatabase(ConnectionString) : new SqliteDatabase(ConnectionString);

    public override string ToString() => Storage;
}
