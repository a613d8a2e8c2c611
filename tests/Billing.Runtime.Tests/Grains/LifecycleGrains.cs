using Billing.Runtime.Core;

namespace Billing.Runtime.Tests.Grains;

public sealed class BufferState
{
    public int Total { get; set; }
}

public interface ILifecycleGrain : IGrainWithStringKey
{
    /// <summary>Adds in memory only; the total is written when the activation goes away.</summary>
    Task AddAsync(int amount);

    Task<int> GetTotalAsync();

    Task StartTimerAsync(TimeSpan period, TimeSpan tickDuration);

    Task<int> GetTimerTicksAsync();

    Task DeactivateSoonAsync();
}

[GrainType("lifecycle")]
[CollectionAgeLimit(minutes: 5)]
public sealed class LifecycleGrain(Probe probe, [PersistentState("buffer")] IPersistentState<BufferState> buffer) : Grain, ILifecycleGrain
{
    private int timerTicks;
    private int ticksInside;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (GetPrimaryKeyString().StartsWith("broken", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"activation of {GetPrimaryKeyString()} refused");
        }

        probe.Events.Enqueue($"activate {GetPrimaryKeyString()} total={buffer.State.Total}");
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await buffer.WriteStateAsync(cancellationToken);
        Interlocked.Increment(ref probe.Deactivations);
        probe.Events.Enqueue($"deactivate {GetPrimaryKeyString()} {reason}");
    }

    public Task AddAsync(int amount)
    {
        buffer.State.Total += amount;
        return Task.CompletedTask;
    }

    public Task<int> GetTotalAsync() => Task.FromResult(buffer.State.Total);

    public Task StartTimerAsync(TimeSpan period, TimeSpan tickDuration)
    {
        RegisterGrainTimer(
            async ct =>
            {
                if (++ticksInside > 1)
                {
                    throw new InvalidOperationException("timer ticks overlapped");
                }

                await Task.Delay(tickDuration, ct);
                timerTicks++;
                ticksInside--;
            },
            period,
            period);
        return Task.CompletedTask;
    }

    public Task<int> GetTimerTicksAsync() => Task.FromResult(timerTicks);

    public Task DeactivateSoonAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

internal sealed class LifecycleGrainProxy(GrainReference grain) : ILifecycleGrain
{
    public Task AddAsync(int amount) => grain.InvokeAsync((ILifecycleGrain g) => g.AddAsync(amount));

    public Task<int> GetTotalAsync() => grain.InvokeAsync((ILifecycleGrain g) => g.GetTotalAsync());

    public Task StartTimerAsync(TimeSpan period, TimeSpan tickDuration) => grain.InvokeAsync((ILifecycleGrain g) => g.StartTimerAsync(period, tickDuration));

    public Task<int> GetTimerTicksAsync() => grain.InvokeAsync((ILifecycleGrain g) => g.GetTimerTicksAsync());

    public Task DeactivateSoonAsync() => grain.InvokeAsync((ILifecycleGrain g) => g.DeactivateSoonAsync());
}

public interface IReminderGrain : IGrainWithStringKey
{
    Task RegisterEveryAsync(string name, TimeSpan dueTime, TimeSpan period);

    Task RegisterCalendarAsync(string name, string calendar);

    Task UnregisterAsync(string name);

    Task<IReadOnlyList<ReminderEntry>> ListAsync();
}

/// <summary>Reports every tick to the probe; a key starting with "flaky" fails its first two ticks.</summary>
[GrainType("reminder-probe")]
public sealed class ReminderGrain(Probe probe) : Grain, IReminderGrain, IRemindable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> FailuresByKey = new();

    public Task RegisterEveryAsync(string name, TimeSpan dueTime, TimeSpan period) => RegisterOrUpdateReminder(name, dueTime, period);

    public Task RegisterCalendarAsync(string name, string calendar) => RegisterOrUpdateReminder(name, CalendarSchedule.Parse(calendar));

    public Task UnregisterAsync(string name) => UnregisterReminder(name);

    public Task<IReadOnlyList<ReminderEntry>> ListAsync() => GetReminders();

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (GetPrimaryKeyString().StartsWith("flaky", StringComparison.Ordinal) && FailuresByKey.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1) <= 2)
        {
            throw new InvalidOperationException("flaky grain fails this tick");
        }

        probe.Ticks.Enqueue((GetPrimaryKeyString(), reminderName, status));
        return Task.CompletedTask;
    }
}

internal sealed class ReminderGrainProxy(GrainReference grain) : IReminderGrain
{
    public Task RegisterEveryAsync(string name, TimeSpan dueTime, TimeSpan period) => grain.InvokeAsync((IReminderGrain g) => g.RegisterEveryAsync(name, dueTime, period));

    public Task RegisterCalendarAsync(string name, string calendar) => grain.InvokeAsync((IReminderGrain g) => g.RegisterCalendarAsync(name, calendar));

    public Task UnregisterAsync(string name) => grain.InvokeAsync((IReminderGrain g) => g.UnregisterAsync(name));

    public Task<IReadOnlyList<ReminderEntry>> ListAsync() => grain.InvokeAsync((IReminderGrain g) => g.ListAsync());
}
