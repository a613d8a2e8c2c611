using Microsoft.Extensions.Logging;

namespace Billing.Runtime.Core;

/// <summary>Source-generated log messages of the runtime (no boxing, no parsing per call).</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Activation of grain {Grain} failed; its queued calls get the error")]
    public static partial void ActivationFailed(ILogger logger, GrainId grain, Exception error);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "OnDeactivateAsync of grain {Grain} failed")]
    public static partial void DeactivationFailed(ILogger logger, GrainId grain, Exception error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "A timer tick of grain {Grain} failed")]
    public static partial void TimerTickFailed(ILogger logger, GrainId grain, Exception error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Shutdown timed out: {Remaining} activations still running after {TimeoutMs} ms, e.g. {Examples}")]
    public static partial void ShutdownTimedOut(ILogger logger, int remaining, int timeoutMs, string examples);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Silo {Silo} started on {Storage}; applied {Migrations} migration(s)")]
    public static partial void SiloStarted(ILogger logger, string silo, string storage, int migrations);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Silo {Silo} stopped; {Activations} activation(s) deactivated")]
    public static partial void SiloStopped(ILogger logger, string silo, int activations);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Reminder {Reminder} of grain {Grain} failed (attempt {Attempt}); retrying at {RetryAt:o}")]
    public static partial void ReminderFailed(ILogger logger, string reminder, GrainId grain, int attempt, DateTimeOffset retryAt, Exception error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Reminder poll failed; the next poll retries")]
    public static partial void ReminderPollFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Reminder {Reminder} names grain type {GrainType}, which this silo does not host")]
    public static partial void ReminderForUnknownGrainType(ILogger logger, string reminder, string grainType);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "Idle collection failed")]
    public static partial void IdleCollectionFailed(ILogger logger, Exception error);
}
