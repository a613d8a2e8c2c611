namespace Billing.Silo.Dashboard;

/// <summary>Source-generated log messages of the dashboard login (event ids 6xxx). Keys and tokens are never logged.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Dashboard login from {RemoteAddress}; the session lasts until {ExpiresAt:O}")]
    public static partial void LoggedIn(ILogger logger, string remoteAddress, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Dashboard login from {RemoteAddress} refused: not the admin key")]
    public static partial void LoginRefused(ILogger logger, string remoteAddress);
}
