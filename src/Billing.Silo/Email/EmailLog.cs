namespace Billing.Silo.Email;

/// <summary>Source-generated log messages of e-mail (event ids 11xxx).</summary>
internal static partial class EmailLog
{
    [LoggerMessage(EventId = 11001, Level = LogLevel.Warning, Message = "Mail {Kind} {EmailId}: attempt {Attempt} of {MaxAttempts} failed ({Reason}); retried later")]
    public static partial void AttemptFailed(ILogger logger, string kind, string emailId, int attempt, int maxAttempts, string reason);

    [LoggerMessage(EventId = 11002, Level = LogLevel.Error, Message = "Mail {Kind} {EmailId} failed after {Attempts} attempts and is given up: {Reason}")]
    public static partial void GaveUp(ILogger logger, string kind, string emailId, int attempts, string reason);

    [LoggerMessage(EventId = 11003, Level = LogLevel.Error, Message = "Sending e-mail failed ({Reason}); tried again in {IntervalMs} ms")]
    public static partial void SendFailed(ILogger logger, int intervalMs, string reason);

    [LoggerMessage(EventId = 11004, Level = LogLevel.Warning, Message = "Mail {Kind} {EmailId} was sent after its claim ran out; another sender may send it again, under the same Message-Id")]
    public static partial void ClaimLost(ILogger logger, string kind, string emailId);
}
