namespace Billing.Silo.Storage.Sql;

/// <summary>The database could not be opened or migrated at start.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A database call failed inside a grain; what the database said, in a form that crosses silos
/// (see <c>StorageFailureFilter</c>). Answered as 503 <c>storage_unavailable</c>.
/// </summary>
[GenerateSerializer, Alias("billing.StorageFailedException")]
public sealed class StorageFailedException : Exception
{
    public StorageFailedException(string message, string? sqlState)
        : base(message)
    {
        SqlState = sqlState;
    }

    [Id(0)]
    public string? SqlState { get; }
}
