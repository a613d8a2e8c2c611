namespace Billing.Silo.Storage.Sql;

/// <summary>The database could not be opened or migrated at start.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
