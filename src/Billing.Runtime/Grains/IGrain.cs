namespace Billing.Runtime;

/// <summary>Marker for grain interfaces. Every method returns <see cref="Task"/> or <see cref="Task{TResult}"/>.</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key (a customer id, a shop id).</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>Grains that receive durable reminders implement this.</summary>
public interface IRemindable
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>
/// What a reminder tick carries: when the reminder first fired, its period (zero for calendar
/// schedules), and the due time of this tick. After downtime a missed tick is delivered once,
/// with its original due time here, not once per missed period.
/// </summary>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);

/// <summary>Why an activation is going away; passed to <see cref="Grain.OnDeactivateAsync"/>.</summary>
public enum DeactivationReason
{
    IdleCollection,
    DeactivateOnIdleRequested,
    InconsistentState,
    SiloShutdown,
}
