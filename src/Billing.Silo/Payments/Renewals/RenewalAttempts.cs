using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Catalog;
using Billing.Silo.Grains;
using Billing.Silo.Payments.Collection;
using Billing.Silo.TestClocks;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Payments.Renewals;

/// <summary>
/// Where a renewal stands after an attempt, and when its grain should come back (null: never);
/// for a test-clock customer, its clock's advance comes back instead of a reminder.
/// </summary>
public sealed record RenewalResult(RenewalStatus Status, DateTimeOffset? ComeBackAt, bool OnTestClock = false);

/// <summary>
/// Renews recurring plans at the end of their period by charging the customer's default saved
/// method. Attempt n for the period ending at E is a payment keyed
/// <c>billing:renewal:{customer}.{E}:attempt:{n}</c>; a success grants the plan once (the grant's
/// id is the payment's) for the next period, which runs from E, and schedules the one after. A
/// failure is retried on the dunning days; after the last the plan lapses: its tokens stop at E.
/// </summary>
public sealed partial class RenewalAttempts(
    PlanRenewalStore renewals,
    OffSessionCharges charges,
    PaymentStore payments,
    CatalogStore catalog,
    RenewalMails mails,
    IGrainFactory grains,
    IOptions<DunningOptions> options,
    CustomerClocks clocks,
    TimeProvider time,
    ILogger<RenewalAttempts> logger)
{
    private readonly DunningOptions dunning = options.Value;
    private readonly DunningSchedule schedule = options.Value.Schedule;

    /// <summary>How often a renewal's reminder comes back while an attempt has no answer.</summary>
    public TimeSpan RetryPeriod => TimeSpan.FromMinutes(dunning.AttemptRetryMinutes);

    /// <summary>A recurring plan was granted for a payment: its next renewal is scheduled at the period's end (again: no change).</summary>
    public async Task ScheduleAsync(string customerId, Plan plan, SubscriptionView granted, CancellationToken cancellationToken)
    {
        if (plan.IsRecurring && granted.EndsAt is { } end && granted.PlanId == plan.Id
            && await renewals.ScheduleAsync(customerId, plan.Id, end, time.GetUtcNow(), cancellationToken))
        {
            await grains.GetGrain<IPlanRenewalGrain>(customerId).RenewDueAsync();
        }
    }

    /// <summary>Runs the renewal's due attempt, if any; an outage leaves it due and answers when to come back.</summary>
    public async Task<RenewalResult> RunDueAsync(string customerId, CancellationToken cancellationToken)
    {
        // A test-clock customer renews at its clock's instant, as its clock's advance reaches the period end.
        var clock = await clocks.ClockOfAsync(customerId, cancellationToken);
        var result = await RunDueAtAsync(customerId, clocks.Of(clock).GetUtcNow(), cancellationToken);
        return result with { OnTestClock = clock is not null };
    }

    private async Task<RenewalResult> RunDueAtAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await renewals.GetAsync(customerId, cancellationToken) is not { Status: RenewalStatus.Scheduled } renewal)
        {
            return new RenewalResult(RenewalStatus.Cancelled, null);
        }

        if (renewal.NextAttemptAt > now)
        {
            return new RenewalResult(renewal.Status, renewal.NextAttemptAt);
        }

        try
        {
            return await AttemptAsync(renewal, now, cancellationToken);
        }
        catch (PaymentProviderException error)
        {
            // Nothing is decided: the pending payment is asked again with its key.
            LogProviderUnavailable(logger, customerId, renewal.Attempts + 1, dunning.AttemptRetryMinutes, error.Message);
            return new RenewalResult(renewal.Status, now.AddMinutes(dunning.AttemptRetryMinutes));
        }
    }

    /// <summary>What the provider reported on its own (a webhook) about an attempt: the payment takes it, and the renewal decides now.</summary>
    public async Task ReconcileAsync(StoredPayment payment, ChargeOutcome outcome, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await charges.RecordReportedAsync(payment, outcome, now, cancellationToken);

        if (await renewals.GetAsync(payment.CustomerId, cancellationToken) is { Status: RenewalStatus.Scheduled } renewal)
        {
            await renewals.DeferAsync(renewal, now, now, cancellationToken);
            await grains.GetGrain<IPlanRenewalGrain>(payment.CustomerId).RenewDueAsync();
        }
    }

    private async Task<RenewalResult> AttemptAsync(StoredRenewal renewal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var number = renewal.Attempts + 1;
        var key = PaymentIdempotencyKey.ForRenewal(renewal.CustomerId, renewal.PeriodEnd.ToUnixTimeMilliseconds(), number);
        var payment = await charges.FindAsync(renewal.CustomerId, key, cancellationToken);
        var plan = await catalog.GetPlanAsync(renewal.PlanId, cancellationToken);
        if (payment is null && await WhyNotRenewAsync(renewal, plan, now, cancellationToken) is { } ended)
        {
            return ended;
        }

        if (plan is null)
        {
            throw new InvariantViolationException($"Renewal payment {key.Value} renews plan {renewal.PlanId}, which does not exist.");
        }

        payment = await charges.ChargeAsync(renewal.CustomerId, StoredPayment.PlanRenewal, plan.Price, key, plan.Id, invoiceId: null, cancellationToken);
        return payment.Status switch
        {
            StoredPaymentStatus.Succeeded => await RenewedAsync(renewal, plan, payment, number, cancellationToken),
            StoredPaymentStatus.Pending => await ProcessingAsync(renewal, now, cancellationToken),
            _ => await FailedAsync(renewal, plan, payment, number, now, cancellationToken),
        };
    }

    /// <summary>Before the first charge of an attempt: the reason this renewal ends (or moves), if there is one.</summary>
    private async Task<RenewalResult?> WhyNotRenewAsync(StoredRenewal renewal, Plan? plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (plan is not { IsRecurring: true, DurationDays: not null })
        {
            return await EndAsync(renewal, RenewalStatus.Cancelled, StoredRenewal.PlanNotRecurring, now, cancellationToken);
        }

        var subscription = await grains.Subscription(renewal.CustomerId).GetAsync();
        if (subscription.PlanId != renewal.PlanId)
        {
            return await EndAsync(renewal, RenewalStatus.Cancelled, StoredRenewal.PlanChanged, now, cancellationToken);
        }

        if (subscription.EndsAt is { } end && end > renewal.PeriodEnd)
        {
            // Another grant of the plan moved the period's end (a purchase after a crash before its schedule): renew then.
            await renewals.ScheduleAsync(renewal.CustomerId, renewal.PlanId, end, now, cancellationToken);
            return new RenewalResult(RenewalStatus.Scheduled, end);
        }

        return null;
    }

    private async Task<RenewalResult> RenewedAsync(StoredRenewal renewal, Plan plan, StoredPayment payment, int number, CancellationToken cancellationToken)
    {
        // The grant first: if the silo dies before the schedule follows, the next tick finds this payment succeeded and ends here again.
        var view = await grains.Subscription(renewal.CustomerId).RenewForPaymentAsync(PlanGrant.Of(plan), payment.PaymentId, renewal.PeriodEnd);
        await payments.MarkGrantedAsync(payment.PaymentId, time.GetUtcNow(), cancellationToken);
        var next = view.EndsAt ?? throw new InvariantViolationException($"Renewing {plan.Id} for {renewal.CustomerId} left a subscription without an end.");
        var receipt = await mails.RenewedAsync(renewal, plan, payment, next, cancellationToken);
        await renewals.ScheduleAsync(renewal.CustomerId, plan.Id, next, time.GetUtcNow(), cancellationToken, receipt);
        LogRenewed(logger, renewal.CustomerId, plan.Id, number, next);
        return new RenewalResult(RenewalStatus.Scheduled, next);
    }

    private async Task<RenewalResult> ProcessingAsync(StoredRenewal renewal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var checkAt = now.AddHours(dunning.ProcessingCheckHours);
        await renewals.DeferAsync(renewal, checkAt, now, cancellationToken);
        return new RenewalResult(RenewalStatus.Scheduled, checkAt);
    }

    private async Task<RenewalResult> FailedAsync(StoredRenewal renewal, Plan plan, StoredPayment payment, int number, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var firstFailedAt = renewal.FirstFailedAt ?? payment.UpdatedAt;
        var decision = schedule.Next(Instant.FromDateTimeOffset(firstFailedAt), number);
        if (decision.DueAt is { } dueAt)
        {
            var retryAt = dueAt.ToDateTimeOffset();
            var failedMail = await mails.FailedAsync(renewal, plan, payment, number, retryAt, cancellationToken);
            await renewals.RecordFailureAsync(renewal, number, firstFailedAt, retryAt, now, failedMail, cancellationToken);
            LogRetryScheduled(logger, renewal.CustomerId, number, payment.FailureCode, retryAt);
            return new RenewalResult(RenewalStatus.Scheduled, retryAt);
        }

        var lapsedMail = await mails.FailedAsync(renewal, plan, payment, number, retryAt: null, cancellationToken);
        await renewals.EndAsync(renewal, RenewalStatus.Lapsed, StoredRenewal.RetriesExhausted, number, now, cancellationToken, lapsedMail);
        LogLapsed(logger, renewal.CustomerId, renewal.PlanId, number);
        return new RenewalResult(RenewalStatus.Lapsed, null);
    }

    private async Task<RenewalResult> EndAsync(StoredRenewal renewal, RenewalStatus to, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await renewals.EndAsync(renewal, to, reason, renewal.Attempts, now, cancellationToken);
        LogEnded(logger, renewal.CustomerId, renewal.PlanId, reason);
        return new RenewalResult(to, null);
    }

    [LoggerMessage(EventId = 8301, Level = LogLevel.Information, Message = "Customer {CustomerId} renewed plan {PlanId} on attempt {Attempt}; next renewal at {NextAt:o}")]
    private static partial void LogRenewed(ILogger logger, string customerId, string planId, int attempt, DateTimeOffset nextAt);

    [LoggerMessage(EventId = 8302, Level = LogLevel.Warning, Message = "Customer {CustomerId}: renewal attempt {Attempt} failed ({FailureCode}); retried at {RetryAt:o}")]
    private static partial void LogRetryScheduled(ILogger logger, string customerId, int attempt, string? failureCode, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 8303, Level = LogLevel.Warning, Message = "Customer {CustomerId}: renewal attempt {Attempt}, the last, failed; plan {PlanId} lapsed")]
    private static partial void LogLapsed(ILogger logger, string customerId, string planId, int attempt);

    [LoggerMessage(EventId = 8304, Level = LogLevel.Information, Message = "Customer {CustomerId}: renewal of plan {PlanId} ended ({Reason})")]
    private static partial void LogEnded(ILogger logger, string customerId, string planId, string reason);

    [LoggerMessage(EventId = 8305, Level = LogLevel.Warning, Message = "Customer {CustomerId}: renewal attempt {Attempt} could not reach the provider; asked again in {Minutes} min: {Reason}")]
    private static partial void LogProviderUnavailable(ILogger logger, string customerId, int attempt, int minutes, string reason);
}
