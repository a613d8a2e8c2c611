using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Billing.Silo.Storage.Sql;

/// <summary>
/// The embedded default: one file, WAL journal, full fsync on commit. SQLite has one writer per
/// file, and Microsoft.Data.Sqlite answers a busy file by sleeping, so this process queues its own
/// writers behind an async gate instead.
/// </summary>
public sealed class SqliteDatabase : SqlDatabase
{
    private readonly SemaphoreSlim writerGate = new(1, 1);
    private readonly string connectionString;

    public SqliteDatabase(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException("The SQLite connection string names no Data Source.", nameof(connectionString));
        }

        FilePath = Path.GetFullPath(builder.DataSource);
        builder.DataSource = FilePath;
        this.connectionString = builder.ToString();
    }

    public string FilePath { get; }

    public override string DialectName => "sqlite";

    public override string Description => $"SQLite file {FilePath}";

    public override string SkipLockedClause => string.Empty;

    public override object GuidParameter(Guid id) => id.ToString();

    public override string JsonValue(string parameterName) => "@" + parameterName;

    public override async Task<T> WriteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await writerGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await work(connection, cancellationToken);
        }
        finally
        {
            writerGate.Release();
        }
    }

    // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default) already excludes other writers.
    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    // Deferred, not the default BEGIN IMMEDIATE: a reader must not take the file's write lock. In
    // WAL mode its first read fixes the snapshot that the later reads of the transaction see.
    protected override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("PRAGMA journal_mode=WAL;");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override DbConnection CreateConnection()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        return new SqliteConnection(connectionString);
    }

    // synchronous=FULL: a commit is on disk before the caller hears "done" (WAL's default, NORMAL, is not).
    protected override async Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
