namespace Billing.Silo.Dashboard;

/// <summary>Source-generated log messages of the dashboard's and the console's login (event ids 6xxx; the area names which). Keys and tokens are never logged.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "{Area} login from {RemoteAddress}; the session lasts until {ExpiresAt:O}")]
    public static partial void LoggedIn(ILogger logger, string area, string remoteAddress, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "{Area} login from {RemoteAddress} refused: not the admin key")]
    public static partial void LoginRefused(ILogger logger, string area, string remoteAddress);
}
