namespace Billing.Silo.Alerts;

/// <summary>Source-generated log messages of alerts (event ids 5xxx).</summary>
internal static partial class AlertLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Alert {Kind} for {Subject} in {PeriodKey}: {Message}")]
    public static partial void Raised(ILogger logger, string kind, string subject, string periodKey, string message);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "The alert queue is full ({Capacity}); {Dropped} token alerts dropped so far. Each is offered again on its customer's next consume or activation")]
    public static partial void Dropped(ILogger logger, int capacity, long dropped);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Recording alert {Kind} for {Subject} in {PeriodKey} failed ({Reason}); attempt {Attempt} of {MaxAttempts}")]
    public static partial void RecordFailed(ILogger logger, string kind, string subject, string periodKey, string reason, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Error, Message = "Cost alert evaluation failed ({Reason}); retried in {IntervalMs} ms")]
    public static partial void EvaluationFailed(ILogger logger, string reason, int intervalMs);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "More than {Max} cost alerts due for {Day}; the rest follow on the next evaluation")]
    public static partial void TooManyDue(ILogger logger, int max, string day);
}
