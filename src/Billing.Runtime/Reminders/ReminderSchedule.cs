namespace Billing.Runtime;

/// <summary>A reminder registered on a grain, as stored.</summary>
public sealed record ReminderEntry(
    string Name,
    DateTimeOffset FirstTickTime,
    TimeSpan Period,
    CalendarSchedule? Calendar,
    DateTimeOffset NextDueTime,
    int FailedAttempts);

/// <summary>When a reminder ticks: every period after a due time, or on a calendar.</summary>
public sealed class ReminderSchedule
{
    private ReminderSchedule(TimeSpan dueTime, TimeSpan period, CalendarSchedule? calendar)
    {
        DueTime = dueTime;
        Period = period;
        Calendar = calendar;
    }

    public TimeSpan DueTime { get; }

    /// <summary>Zero for calendar schedules.</summary>
    public TimeSpan Period { get; }

    public CalendarSchedule? Calendar { get; }

    public static ReminderSchedule Every(TimeSpan dueTime, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        return new ReminderSchedule(dueTime, period, null);
    }

    public static ReminderSchedule On(CalendarSchedule calendar) =>
        new(TimeSpan.Zero, TimeSpan.Zero, calendar ?? throw new ArgumentNullException(nameof(calendar)));

    internal static ReminderSchedule FromStored(long periodMs, string? calendar) =>
        calendar is null ? Every(TimeSpan.Zero, TimeSpan.FromMilliseconds(periodMs)) : On(CalendarSchedule.Parse(calendar));

    public DateTimeOffset FirstTick(DateTimeOffset registeredAt) => Calendar?.NextAfter(registeredAt) ?? registeredAt + DueTime;

    /// <summary>
    /// The first tick strictly after <paramref name="now"/>. Ticks missed while the silo was down
    /// are skipped here, because the one late delivery already stood for them.
    /// </summary>
    public DateTimeOffset NextAfter(DateTimeOffset firstTick, DateTimeOffset now)
    {
        if (Calendar is not null)
        {
            return Calendar.NextAfter(now);
        }

        if (now < firstTick)
        {
            return firstTick;
        }

        var periodsPassed = (now - firstTick).Ticks / Period.Ticks;
        return firstTick + TimeSpan.FromTicks((periodsPassed + 1) * Period.Ticks);
    }
}
