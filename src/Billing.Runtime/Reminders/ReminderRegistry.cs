using Microsoft.Extensions.Options;

namespace Billing.Runtime.Reminders;

/// <summary>Registration side of reminders, used by grains through <see cref="Grain"/>.</summary>
internal sealed class ReminderRegistry(SqlReminderTable table, TimeProvider time, IOptions<ReminderOptions> options)
{
    private const int MaxReminderNameLength = 128;

    public Task RegisterAsync(GrainId grain, string name, ReminderSchedule schedule, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, MaxReminderNameLength, nameof(name));
        if (schedule.Calendar is null && schedule.Period < TimeSpan.FromMilliseconds(options.Value.MinimumPeriodMs))
        {
            throw new ArgumentOutOfRangeException(
                nameof(schedule), $"Reminder '{name}' has a period of {schedule.Period.TotalMilliseconds:0} ms; the minimum is {options.Value.MinimumPeriodMs} ms (use a grain timer for less).");
        }

        var firstTick = schedule.FirstTick(time.GetUtcNow());
        return table.UpsertAsync(
            grain, name, (long)schedule.Period.TotalMilliseconds, schedule.Calendar?.ToString(), firstTick.ToUnixTimeMilliseconds(), cancellationToken);
    }

    public Task UnregisterAsync(GrainId grain, string name, CancellationToken cancellationToken) =>
        table.DeleteAsync(grain, name, cancellationToken);

    public async Task<IReadOnlyList<ReminderEntry>> ListAsync(GrainId grain, CancellationToken cancellationToken)
    {
        var rows = await table.ListAsync(grain, cancellationToken);
        return rows.Select(r => new ReminderEntry(
                r.Name,
                DateTimeOffset.FromUnixTimeMilliseconds(r.FirstTickMs),
                TimeSpan.FromMilliseconds(r.PeriodMs),
                r.Calendar is null ? null : CalendarSchedule.Parse(r.Calendar),
                DateTimeOffset.FromUnixTimeMilliseconds(r.NextDueMs),
                r.FailedAttempts))
            .ToList();
    }
}
