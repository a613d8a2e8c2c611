using System.Data.Common;
using System.Reflection;

namespace Billing.Silo.Storage.Sql;

/// <summary>One versioned script of one module (Orleans' tables, the catalog, metering, billing, …) for one dialect.</summary>
public sealed record MigrationScript(string Module, int Version, string Name, string Sql);

/// <summary>Where a module's scripts come from; register one per module.</summary>
public interface IMigrationSource
{
    IEnumerable<MigrationScript> GetScripts(string dialectName);
}

/// <summary>
/// Scripts embedded in an assembly as <c>…{folder}.{dialect}.{NNNN}_{name}.sql</c>; the leading
/// number is the version. <paramref name="folder"/> is the resource folder with dots for slashes
/// (<c>Migrations</c>, or <c>Migrations.Catalog</c> when one assembly holds several modules).
/// </summary>
public sealed class EmbeddedMigrationSource(Assembly assembly, string module, string folder = "Migrations") : IMigrationSource
{
    public IEnumerable<MigrationScript> GetScripts(string dialectName)
    {
        var marker = $".{folder}.{dialectName}.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(marker, StringComparison.Ordinal)))
        {
            var fileName = resource[(resource.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
            var digits = new string(fileName.TakeWhile(char.IsAsciiDigit).ToArray());
            if (digits.Length == 0)
            {
                throw new InvalidOperationException($"Migration resource '{resource}' does not start with a version number.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return new MigrationScript(module, int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture), fileName, reader.ReadToEnd());
        }
    }
}

/// <summary>
/// Applies every script not yet recorded in <c>schema_migrations</c>, in one transaction under a
/// migration lock, so concurrent silos and repeated starts apply each script exactly once.
/// </summary>
public sealed class SchemaMigrator(SqlDatabase database, IEnumerable<IMigrationSource> sources, TimeProvider time)
{
    private const string CreateLedger = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            module        TEXT   NOT NULL,
            version       INTEGER NOT NULL,
            name          TEXT   NOT NULL,
            applied_at_ms BIGINT NOT NULL,
            PRIMARY KEY (module, version)
        )
        """;

    /// <summary>Returns the scripts applied by this call (empty when the schema was current).</summary>
    public Task<IReadOnlyList<MigrationScript>> MigrateAsync(CancellationToken cancellationToken)
    {
        var scripts = Scripts();
        return database.WriteAsync(
            async (connection, ct) =>
            {
                await database.PrepareAsync(connection, ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await database.LockForMigrationAsync(connection, transaction, ct);
                await ExecuteAsync(connection, transaction, CreateLedger, ct);
                var applied = await ReadAppliedAsync(connection, transaction, ct);
                var pending = scripts.Where(s => !applied.Contains((s.Module, s.Version))).ToList();
                foreach (var script in pending)
                {
                    await ExecuteAsync(connection, transaction, script.Sql, ct);
                    await RecordAsync(connection, transaction, script, ct);
                }

                await transaction.CommitAsync(ct);
                return (IReadOnlyList<MigrationScript>)pending;
            },
            cancellationToken);
    }

    /// <summary>
    /// The scripts this build knows that the database has not recorded, without changing anything:
    /// a process that does not migrate (the front door) checks with it that the silos did.
    /// </summary>
    public Task<IReadOnlyList<MigrationScript>> PendingAsync(CancellationToken cancellationToken)
    {
        var scripts = Scripts();
        return database.ReadAsync(
            async (connection, ct) =>
            {
                HashSet<(string, int)> applied;
                try
                {
                    await using var transaction = await connection.BeginTransactionAsync(ct);
                    applied = await ReadAppliedAsync(connection, transaction, ct);
                }
                catch (DbException)
                {
                    // The connection is open, so the statement failed: no schema_migrations table yet.
                    applied = [];
                }

                return (IReadOnlyList<MigrationScript>)scripts.Where(s => !applied.Contains((s.Module, s.Version))).ToList();
            },
            cancellationToken);
    }

    private List<MigrationScript> Scripts()
    {
        var scripts = sources.SelectMany(s => s.GetScripts(database.DialectName))
            .OrderBy(s => s.Module, StringComparer.Ordinal).ThenBy(s => s.Version).ToList();
        EnsureUniqueVersions(scripts);
        return scripts;
    }

    private static void EnsureUniqueVersions(List<MigrationScript> scripts)
    {
        var duplicate = scripts.GroupBy(s => (s.Module, s.Version)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Module '{duplicate.Key.Module}' has two migrations numbered {duplicate.Key.Version}.");
        }
    }

    private static async Task<HashSet<(string, int)>> ReadAppliedAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var applied = new HashSet<(string, int)>();
        await using var command = connection.CreateCommand("SELECT module, version FROM schema_migrations", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return applied;
    }

    private async Task RecordAsync(DbConnection connection, DbTransaction transaction, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(
                "INSERT INTO schema_migrations (module, version, name, applied_at_ms) VALUES (@module, @version, @name, @now_ms)", transaction)
            .With("module", script.Module).With("version", script.Version).With("name", script.Name)
            .With("now_ms", time.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(sql, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
