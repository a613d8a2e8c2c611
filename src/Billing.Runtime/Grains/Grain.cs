using Billing.Runtime.Core;

namespace Billing.Runtime;

/// <summary>
/// Base class of grain implementations. Grain code runs one turn at a time (see
/// <see cref="ReentrantAttribute"/>), so it keeps its state in plain fields without locks.
/// </summary>
public abstract class Grain
{
    private GrainActivation? activation;

    public GrainId GrainId => Activation.Id;

    internal GrainActivation Activation
    {
        get => activation ?? throw new InvalidOperationException("The grain's runtime context is not available in its constructor; use OnActivateAsync.");
        set => activation = value;
    }

    protected IGrainFactory GrainFactory => Activation.Runtime;

    protected TimeProvider TimeProvider => Activation.Runtime.Time;

    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>Runs after the persistent states are loaded, before the first call.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs as the activation's last turn; the silo waits for it (and its writes) on shutdown.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation when the current call completes; later calls go to a new activation.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.DeactivateOnIdleRequested);

    /// <summary>A timer whose ticks run as grain turns, never overlapping; disposed on deactivation.</summary>
    protected IDisposable RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        Activation.RegisterTimer(callback, dueTime, period);

    /// <summary>A durable reminder: first tick after <paramref name="dueTime"/>, then every <paramref name="period"/>.</summary>
    protected Task RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        Activation.Runtime.Reminders.RegisterAsync(RemindableId(), reminderName, ReminderSchedule.Every(dueTime, period), CancellationToken.None);

    /// <summary>A durable reminder on a calendar, e.g. monthly on the last day at 00:00 in the customer's zone.</summary>
    protected Task RegisterOrUpdateReminder(string reminderName, CalendarSchedule schedule) =>
        Activation.Runtime.Reminders.RegisterAsync(RemindableId(), reminderName, ReminderSchedule.On(schedule), CancellationToken.None);

    protected Task UnregisterReminder(string reminderName) =>
        Activation.Runtime.Reminders.UnregisterAsync(GrainId, reminderName, CancellationToken.None);

    protected Task<IReadOnlyList<ReminderEntry>> GetReminders() =>
        Activation.Runtime.Reminders.ListAsync(GrainId, CancellationToken.None);

    private GrainId RemindableId() =>
        Activation.Type.IsRemindable
            ? GrainId
            : throw new InvalidOperationException($"Grain class {Activation.Type.GrainClass.Name} registers a reminder but does not implement IRemindable.");
}
