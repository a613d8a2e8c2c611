using Billing.Silo.Metering;
using Billing.Domain;
using Billing.Silo.Invoicing;
using NodaTime;

namespace Billing.Silo.Grains;

/// <summary>
/// The shop's billing: its open period, the reminder that closes it at its end plus the grace for
/// late events, and closing on demand (billing runs). Orleans reminders are periodic, so the
/// calendar lives here: the reminder's first tick is the open period's due instant (its end in the
/// customer's zone plus the grace, whatever DST did), and each close registers the next one.
/// </summary>
/// <remarks>
/// Orleans skips missed ticks and never retries a failed one. The reminder's period therefore only
/// matters when a tick did not re-register it: after downtime the next tick comes within
/// <see cref="CloseRetryPeriod"/> and closes every period that is due (a close is idempotent, so a
/// repeat never invoices twice); after a failed close the grain re-registers with back-off, counted
/// in grain state (<see cref="ShopCloseState"/>).
/// </remarks>
public sealed partial class ShopGrain
{
    public const string CloseReminder = "close-period";

    /// <summary>Orleans' shortest reminder period: the catch-up delay after downtime.</summary>
    public static readonly TimeSpan CloseRetryPeriod = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    // The due instant this activation registered; null until it has registered once, since another
    // activation (or the previous process) may have left a reminder for an earlier period.
    private Instant? registeredDueAt;

    // With CloseOnReminders off: this activation has removed any close reminder left from before.
    private bool reminderRemoved;

    public async Task EnsureBillingAsync()
    {
        await ProfileAsync(CancellationToken.None);
        var terms = await periods.TermsAsync(ShopId, CancellationToken.None);
        var open = await periods.EnsureOpenPeriodAsync(terms, CancellationToken.None);
        TrackOpenPeriod(open.Period);
        await EnsureReminderAsync(open.Period);
    }

    public async Task<ShopBillingResult> BillAsync(CloseRequest request)
    {
        await ProfileAsync(CancellationToken.None);
        var (result, open) = await periods.CloseDueAsync(ShopId, request, Now(), CancellationToken.None);
        if (request.DryRun)
        {
            return result;
        }

        if (open is null)
        {
            // A closed shop's last period is closed: nothing more to close, ever.
            (openPeriod, current, registeredDueAt) = (null, null, null);
            await RemoveReminderAsync(CloseReminder);
            return result;
        }

        TrackOpenPeriod(open);
        await EnsureReminderAsync(open);
        return result;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CloseReminder || !periods.ClosesOnReminders)
        {
            // A name this grain no longer uses (e.g. a catch-up reminder of an older build), or
            // periods now close through billing runs only: drop it.
            await RemoveReminderAsync(reminderName);
            return;
        }

        // No database and no wait here: at a month end every shop ticks at once.
        reminderCloses.TryEnqueue(ShopId);
    }

    public async Task CloseDueFromReminderAsync()
    {
        if (!periods.ClosesOnReminders)
        {
            return;
        }

        ShopBillingResult result;
        try
        {
            result = await BillAsync(new CloseRequest(null, DryRun: false));
        }
        catch (Exception error)
        {
            // The count is grain state: after a restart the back-off goes on from where it was.
            var failures = await RecordCloseFailedAsync(error);
            var delay = Backoff(failures);
            LogCloseFailed(logger, ShopId, failures, (long)delay.TotalSeconds, error.Message);
            registeredDueAt = null;
            await this.RegisterOrUpdateReminder(CloseReminder, delay, CloseRetryPeriod);
            return;
        }

        await RecordCloseSucceededAsync();
        if (result.Outcome == ShopBillingOutcome.Invoiced)
        {
            LogPeriodsClosed(logger, ShopId, result.Invoices.Count);
        }
    }

    /// <summary>1, 2, 4 … minutes after consecutive failed closes, at most an hour.</summary>
    public static TimeSpan Backoff(int failedTicks)
    {
        if (failedTicks < 1)
        {
            throw new InvariantViolationException($"Back-off asked for {failedTicks} failures.");
        }

        var minutes = FirstBackoff.TotalMinutes * Math.Pow(2, Math.Min(failedTicks - 1, 10));
        return TimeSpan.FromMinutes(Math.Min(minutes, MaxBackoff.TotalMinutes));
    }

    /// <summary>A test clock's advance: its instant moves to <paramref name="atMs"/> and the periods due by then close, as the reminder would close them.</summary>
    public async Task<ShopBillingResult> CloseOnClockAsync(string clockId, long atMs)
    {
        clocks.Move(clockId, atMs);
        await ProfileAsync(CancellationToken.None);
        if (testClockId != clockId)
        {
            throw new InvariantViolationException($"Shop {ShopId} is not on test clock {clockId}.");
        }

        return await BillAsync(new CloseRequest(null, DryRun: false));
    }

    private async Task EnsureReminderAsync(BillingPeriod open)
    {
        // A test clock's shop closes when its clock is advanced, never on real time.
        if (!periods.ClosesOnReminders || testClockId is not null)
        {
            if (!reminderRemoved)
            {
                await RemoveReminderAsync(CloseReminder);
                reminderRemoved = true;
            }

            return;
        }

        var dueAt = periods.DueAt(open);
        if (registeredDueAt == dueAt)
        {
            return;
        }

        var wait = dueAt - Now();
        await this.RegisterOrUpdateReminder(CloseReminder, wait > Duration.Zero ? wait.ToTimeSpan() : TimeSpan.Zero, CloseRetryPeriod);
        registeredDueAt = dueAt;
    }

    private async Task RemoveReminderAsync(string reminderName)
    {
        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void TrackOpenPeriod(BillingPeriod open)
    {
        openPeriod = open;
        // Usage loaded before the close guessed the next period from the cycle and zone then known;
        // the close decides (the customer may have moved in the grace time), and storage is the truth.
        if (current is { } usage && usage.Period != open && usage.Period.StartInstant < open.EndInstant && open.StartInstant < usage.Period.EndInstant)
        {
            current = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop {ShopId}: {Count} period(s) closed and invoiced on its reminder")]
    private static partial void LogPeriodsClosed(ILogger logger, string shopId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shop {ShopId}: close failed ({Failures} in a row), retried in {DelaySeconds} s: {Reason}")]
    private static partial void LogCloseFailed(ILogger logger, string shopId, int failures, long delaySeconds, string reason);
}
