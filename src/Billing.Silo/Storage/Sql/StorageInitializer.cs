using System.Data.Common;
using System.Net.Sockets;

namespace Billing.Silo.Storage.Sql;

/// <summary>
/// Whether this process migrates the schema (a silo) or only waits, bounded, until the silos have
/// (the front door: two kinds of process migrating one database would race on every deploy).
/// </summary>
public sealed record SchemaDuty(bool Migrates, TimeSpan WaitLimit)
{
    public static readonly SchemaDuty Migrate = new(true, TimeSpan.FromSeconds(30));

    public static SchemaDuty AwaitMigrated(TimeSpan limit) => new(false, limit);
}

/// <summary>
/// Opens and migrates the database once (or, for a process that does not migrate, waits until it
/// is migrated). Every failure becomes one <see cref="StorageUnavailableException"/> whose message
/// says which database and why, so the host prints one line instead of a stack trace.
/// </summary>
public sealed class StorageInitializer(SqlDatabase database, SchemaMigrator migrator, SchemaDuty? duty = null)
{
    private static readonly TimeSpan SchemaPollInterval = TimeSpan.FromMilliseconds(500);

    // Start-up runs on real time, like Orleans' membership: a test's manual clock must neither
    // cancel a migration nor stall the wait for one.
    private readonly Lazy<Task<int>> initialization = new(() => RunAsync(database, migrator, duty ?? SchemaDuty.Migrate, TimeProvider.System));

    public string Description => database.Description;

    /// <summary>Returns the number of migration scripts applied (0 when the schema was current or this process does not migrate).</summary>
    public Task<int> EnsureInitializedAsync() => initialization.Value;

    private static async Task<int> RunAsync(SqlDatabase database, SchemaMigrator migrator, SchemaDuty duty, TimeProvider time)
    {
        try
        {
            // Start-up must fail fast on a dead database rather than hang on retries.
            using var timeout = new CancellationTokenSource(duty.WaitLimit, time);
            if (duty.Migrates)
            {
                var applied = await migrator.MigrateAsync(timeout.Token);
                return applied.Count;
            }

            await WaitUntilMigratedAsync(database, migrator, time, duty.WaitLimit, timeout.Token);
            return 0;
        }
        catch (Exception error) when (error is DbException or SocketException or IOException or UnauthorizedAccessException or TimeoutException or OperationCanceledException or ArgumentException)
        {
            throw new StorageUnavailableException($"Cannot open {database.Description}: {Describe(error)}", error);
        }
    }

    private static async Task WaitUntilMigratedAsync(SqlDatabase database, SchemaMigrator migrator, TimeProvider time, TimeSpan limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<MigrationScript> pending = [];
        try
        {
            while ((pending = await migrator.PendingAsync(cancellationToken)).Count > 0)
            {
                await Task.Delay(SchemaPollInterval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (pending.Count > 0)
        {
            var first = pending[0];
            throw new StorageUnavailableException(
                $"{database.Description} is not migrated after {limit.TotalSeconds:0} s ({pending.Count} scripts pending, first {first.Module}/{first.Name}); " +
                "start a silo on it first: only silos migrate the schema.");
        }
    }

    private static string Describe(Exception error)
    {
        var messages = new List<string>();
        for (var current = error; current is not null && messages.Count < 4; current = current.InnerException)
        {
            var line = current.Message.ReplaceLineEndings(" ").Trim();
            if (line.Length > 0 && !messages.Any(m => m.Contains(line, StringComparison.Ordinal)))
            {
                messages.Add(line);
            }
        }

        return string.Join(" — ", messages);
    }
}
