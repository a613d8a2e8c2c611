using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Reminders;

namespace Billing.Testing;

/// <summary>
/// The manual clock as Orleans' reminder service sees it. Orleans waits for a due time with
/// <c>Task.Delay</c>, which truncates to whole milliseconds, and loops until the clock reaches
/// the due time; on a clock that does not move by itself, a remainder under a millisecond would
/// make that loop spin for ever inside <see cref="ManualTimeProvider.Advance"/>. Each timer here
/// therefore fires just under a millisecond later than asked, at or after the instant Orleans
/// waits for. A tick due at an instant the test moves to arrives on the test's next millisecond.
/// </summary>
public sealed class OrleansReminderClock(ManualTimeProvider clock) : TimeProvider
{
    private static readonly TimeSpan TruncationSlack = TimeSpan.FromMilliseconds(1) - TimeSpan.FromTicks(1);

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override long GetTimestamp() => clock.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        clock.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : dueTime + TruncationSlack, period);

    /// <summary>
    /// Drives a silo's reminders with <paramref name="clock"/>, every reminder held armed (not
    /// only those due within Orleans' ten-minute loading window), so a test that moves the clock by
    /// a month does not wait for a reminder-list refresh.
    /// </summary>
    public static void Register(IServiceCollection services, ManualTimeProvider clock)
    {
        services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, new OrleansReminderClock(clock));
        services.Configure<ReminderOptions>(o => o.ReminderLoadingWindow = TimeSpan.FromDays(400));
    }
}
