using System.Data.Common;

namespace Billing.Silo.Storage.Sql;

/// <summary>
/// One interface over the two dialects. Almost all SQL is shared (both speak
/// <c>INSERT … ON CONFLICT</c>, <c>RETURNING</c> and <c>@name</c> parameters); what differs lives here.
/// </summary>
public abstract class SqlDatabase
{
    /// <summary>"sqlite" or "postgres": also the folder name of the migration scripts.</summary>
    public abstract string DialectName { get; }

    /// <summary>Where the data is, for error messages and logs; never includes a password.</summary>
    public abstract string Description { get; }

    /// <summary>How a JSON text parameter is written into a JSON column.</summary>
    public abstract string JsonValue(string parameterName);

    /// <summary>The row-locking clause that lets several silos claim work without blocking each other.</summary>
    public abstract string SkipLockedClause { get; }

    /// <summary>A UUID as a parameter: PostgreSQL's uuid type takes the Guid; SQLite keeps the text form the journal writes.</summary>
    public virtual object GuidParameter(Guid id) => id;

    protected abstract DbConnection CreateConnection();

    /// <summary>Serialises writers where the engine has a single writer, so they queue in memory instead of spinning on a busy file.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Takes the cross-process lock that makes migrations run once when several silos start together.</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Settings that must be made outside any transaction before the schema is migrated.</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            await OnOpenedAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection, cancellationToken);
    }

    /// <summary>
    /// Several reads that must see one committed state of the database (rows committed between
    /// them must not show in one and not the other), without blocking writers: a snapshot, not a lock.
    /// </summary>
    public async Task<T> ReadSnapshotAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginSnapshotAsync(connection, cancellationToken);
        var result = await work(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>A read-only transaction whose reads all see the state at its first read.</summary>
    protected abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>One round trip to the database: for health checks.</summary>
    public Task<bool> PingAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT 1");
                return await command.ScalarInt64Async(ct) == 1;
            },
            cancellationToken);

    protected virtual Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;
}
