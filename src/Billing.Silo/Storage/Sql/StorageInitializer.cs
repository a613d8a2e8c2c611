using Billing.Silo.Storage.Sql;
using System.Data.Common;
using System.Net.Sockets;

namespace Billing.Silo.Storage.Sql;

/// <summary>
/// Opens and migrates the database once. Every failure becomes one
/// <see cref="StorageUnavailableException"/> whose message says which database and why, so the
/// host prints one line instead of a stack trace.
/// </summary>
public sealed class StorageInitializer(SqlDatabase database, SchemaMigrator migrator)
{
    private readonly Lazy<Task<int>> initialization = new(() => RunAsync(database, migrator));

    public string Description => database.Description;

    /// <summary>Returns the number of migration scripts applied (0 when the schema was current).</summary>
    public Task<int> EnsureInitializedAsync() => initialization.Value;

    private static async Task<int> RunAsync(SqlDatabase database, SchemaMigrator migrator)
    {
        try
        {
            // Start-up must fail fast on a dead database rather than hang on retries.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var applied = await migrator.MigrateAsync(timeout.Token);
            return applied.Count;
        }
        catch (Exception error) when (error is DbException or SocketException or IOException or UnauthorizedAccessException or TimeoutException or OperationCanceledException or ArgumentException)
        {
            throw new StorageUnavailableException($"Cannot open {database.Description}: {Describe(error)}", error);
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
