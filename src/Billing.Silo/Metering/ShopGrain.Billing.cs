using Billing.Domain;
using Billing.Runtime;
using Billing.Silo.Invoicing;
using NodaTime;

namespace Billing.Silo.Metering;

/// <summary>
/// The shop's billing: its open period, the calendar reminder that closes periods at their end plus
/// the grace for late events, and closing on demand (billing runs). A failed reminder tick throws,
/// so the runtime retries it with back-off; a close is idempotent, so a retry never invoices twice.
/// </summary>
public sealed partial class ShopGrain
{
    public const string CloseReminder = "close-period";

    /// <summary>A one-off catch-up when the calendar tick would come after the period is due (a DST shift at the boundary).</summary>
    public const string CatchUpReminder = "close-period-catch-up";

    private static readonly TimeSpan CatchUpRetry = TimeSpan.FromHours(1);
    private static readonly Duration CalendarTolerance = Duration.FromMinutes(1);

    private bool reminderChecked;

    // Known once reminderChecked: nothing but the shop grain registers or removes its reminders, so
    // the activation remembers instead of listing them on every close. An activation of the shop on
    // another silo may still register one: its tick tells this activation (a stale "registered" costs a no-op delete).
    private bool catchUpRegistered;

    public async Task EnsureBillingAsync()
    {
        var terms = await periods.TermsAsync(profile.ShopId, CancellationToken.None);
        var open = await periods.EnsureOpenPeriodAsync(terms, CancellationToken.None);
        TrackOpenPeriod(open.Period);
        await EnsureRemindersAsync(open.Period);
    }

    public async Task<ShopBillingResult> BillAsync(CloseRequest request)
    {
        var (result, open) = await periods.CloseDueAsync(profile.ShopId, request, Now(), CancellationToken.None);
        if (!request.DryRun)
        {
            TrackOpenPeriod(open);
            await EnsureRemindersAsync(open);
        }

        return result;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        catchUpRegistered |= reminderName == CatchUpReminder;
        var result = await BillAsync(new CloseRequest(null, DryRun: false));
        if (result.Outcome == ShopBillingOutcome.Invoiced)
        {
            LogPeriodsClosed(logger, profile.ShopId, result.Invoices.Count, reminderName);
        }
    }

    private async Task EnsureRemindersAsync(BillingPeriod open)
    {
        var schedule = CloseSchedule(cycle, profile.TimeZone, periods.GracePeriod);
        if (!reminderChecked)
        {
            var reminders = await GetReminders();
            if (!reminders.Any(r => r.Name == CloseReminder && Equals(r.Calendar, schedule)))
            {
                await RegisterOrUpdateReminder(CloseReminder, schedule);
            }

            catchUpRegistered = reminders.Any(r => r.Name == CatchUpReminder);
            reminderChecked = true;
        }

        var dueAt = periods.DueAt(open);
        var nextTick = Instant.FromDateTimeOffset(schedule.NextAfter(TimeProvider.GetUtcNow()));
        if (nextTick > dueAt + CalendarTolerance)
        {
            var wait = dueAt - Now();
            // Before the await: a registration that fails after its commit must still be removed later.
            catchUpRegistered = true;
            await RegisterOrUpdateReminder(CatchUpReminder, wait > Duration.Zero ? wait.ToTimeSpan() : TimeSpan.Zero, CatchUpRetry);
        }
        else if (catchUpRegistered)
        {
            await UnregisterReminder(CatchUpReminder);
            catchUpRegistered = false;
        }
    }

    private void TrackOpenPeriod(BillingPeriod open)
    {
        openPeriod = open;
        // Usage loaded before the close guessed the next period from the cycle; a bridge to a new cycle differs.
        if (current is { } usage && (usage.Period.Start != open.Start || usage.Period.EndExclusive != open.EndExclusive) && usage.Period.Contains(open.StartInstant))
        {
            current = null;
        }
    }

    /// <summary>
    /// When a period of <paramref name="cycle"/> is due: the first day of the next one (Monday for
    /// weeks, the 1st for months and quarters) at the grace after midnight, in the customer's zone.
    /// </summary>
    public static CalendarSchedule CloseSchedule(BillingCycle cycle, string zoneId, TimeSpan grace)
    {
        var days = grace.Days;
        var at = LocalTime.Midnight.PlusMinutes((long)(grace - TimeSpan.FromDays(days)).TotalMinutes);
        return cycle switch
        {
            BillingCycle.Weekly => CalendarSchedule.Weekly(IsoDayOfWeek.Monday + days, at, zoneId),
            BillingCycle.Monthly => CalendarSchedule.Monthly(1 + days, at, zoneId),
            BillingCycle.Quarterly => CalendarSchedule.Monthly(1 + days, at, zoneId, everyMonths: 3, anchorMonth: 1),
            _ => throw new InvariantViolationException($"Unhandled billing cycle {cycle}."),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop {ShopId}: {Count} period(s) closed and invoiced by reminder {Reminder}")]
    private static partial void LogPeriodsClosed(ILogger logger, string shopId, int count, string reminder);
}
