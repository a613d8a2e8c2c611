namespace Billing.Silo.Catalog;

/// <summary>Source-generated log messages of the catalog and its authentication (event ids 3xxx). Keys themselves are never logged, only ids and prefixes.</summary>
internal static partial class CatalogLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "API key {KeyId} (prefix {Prefix}) issued for shop {ShopId}")]
    public static partial void ApiKeyIssued(ILogger logger, string keyId, string shopId, string prefix);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "API key {KeyId} (prefix {Prefix}) revoked")]
    public static partial void ApiKeyRevoked(ILogger logger, string keyId, string prefix);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Admin key generated; its hash is stored in silo_settings")]
    public static partial void AdminKeyGenerated(ILogger logger);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Admin key taken from {Source}")]
    public static partial void AdminKeyLoaded(ILogger logger, string source);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "The API key cache holds {Count} fresh entries, its limit; further keys are looked up on every request until entries expire")]
    public static partial void ApiKeyCacheFull(ILogger logger, int count);
}
