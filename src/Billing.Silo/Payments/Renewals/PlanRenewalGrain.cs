using Billing.Silo.Grains;

namespace Billing.Silo.Payments.Renewals;

/// <summary>The grain per customer with a recurring plan: renews it on its reminder, one attempt at a time.</summary>
[Alias("billing.IPlanRenewalGrain")]
public interface IPlanRenewalGrain : IGrainWithStringKey
{
    /// <summary>Runs the due attempt now, if any (after a grant, from the sweep, after a webhook) and keeps the reminder on the next one.</summary>
    [Alias("renew-due")]
    Task<RenewalStatus> RenewDueAsync();
}

/// <summary>
/// Renewals on Orleans reminders. The <c>renew</c> reminder is registered for the next attempt (the
/// period's end, then the dunning days), so the schedule survives restarts and silo failures; a
/// tick before the due instant, or for a renewal that ended, changes nothing. One activation per
/// customer, not reentrant: two attempts never overlap.
/// </summary>
[GrainType("plan-renewal")]
public sealed partial class PlanRenewalGrain(RenewalAttempts attempts, TimeProvider time, ILogger<PlanRenewalGrain> logger)
    : Grain, IPlanRenewalGrain, IRemindable
{
    public const string RenewReminder = "renew";

    private string CustomerId => this.GetPrimaryKeyString();

    public async Task<RenewalStatus> RenewDueAsync()
    {
        var result = await attempts.RunDueAsync(CustomerId, CancellationToken.None);
        // A test clock's advance runs its attempts: a reminder on the silo's time would come at once, again and again.
        await GrainReminders.KeepOrRemoveAsync(this, RenewReminder, result.OnTestClock ? null : result.ComeBackAt, time.GetUtcNow(), attempts.RetryPeriod);
        LogRun(logger, CustomerId, result.Status.ToString());
        return result.Status;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RenewReminder)
        {
            await GrainReminders.KeepOrRemoveAsync(this, reminderName, comeBackAt: null, time.GetUtcNow(), attempts.RetryPeriod);
            return;
        }

        await RenewDueAsync();
    }

    [LoggerMessage(EventId = 8310, Level = LogLevel.Debug, Message = "Renewal of customer {CustomerId}: {Status}")]
    private static partial void LogRun(ILogger logger, string customerId, string status);
}
