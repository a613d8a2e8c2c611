using System.Data.Common;
using Npgsql;

namespace Billing.Silo.Storage.Sql;

/// <summary>Production storage: PostgreSQL through one pooled Npgsql data source.</summary>
public sealed class PostgresDatabase : SqlDatabase, IAsyncDisposable
{
    // An arbitrary constant shared by every silo: the advisory lock key that serialises migrations.
    private const long MigrationLockKey = 0x42_696C_6C69_6E67;

    private readonly NpgsqlDataSource dataSource;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = KeywordsIn(connectionString);
        if (!given.Contains("maxautoprepare"))
        {
            // The silo runs a small fixed set of statements: preparing them once per connection
            // saves a parse and plan per execution. Set 'Max Auto Prepare=0' behind a transaction-mode pooler.
            builder.MaxAutoPrepare = 32;
        }

        if (!given.Contains("noresetonclose"))
        {
            // The silo never changes session state (no SET, no temporary tables), so resetting a
            // connection each time it returns to the pool is pure cost: measured here it halved
            // the usage journal's commit rate. Set 'No Reset On Close=false' if your own code needs it.
            builder.NoResetOnClose = true;
        }

        Description = $"PostgreSQL database '{builder.Database}' at {builder.Host}:{builder.Port}";
        dataSource = NpgsqlDataSource.Create(builder);
    }

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>
    /// The keywords a connection string sets, without spaces and in lower case. Npgsql's builder
    /// cannot tell: its <c>ContainsKey</c> is true for every keyword it knows, set or not.
    /// </summary>
    private static HashSet<string> KeywordsIn(string connectionString)
    {
        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return parsed.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }

    public override string DialectName => "postgres";

    public override string Description { get; }

    public override string SkipLockedClause => " FOR UPDATE SKIP LOCKED";

    public override string JsonValue(string parameterName) => $"CAST(@{parameterName} AS jsonb)";

    public override async Task<T> WriteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection, cancellationToken);
    }

    public override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("SELECT pg_advisory_xact_lock(@key)", transaction).With("key", MigrationLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Repeatable read is PostgreSQL's snapshot isolation: one snapshot for the whole transaction.
    protected override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    protected override DbConnection CreateConnection() => dataSource.CreateConnection();
}
