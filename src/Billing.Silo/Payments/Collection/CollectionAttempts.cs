using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Grains;
using Billing.Silo.Invoicing;
using Billing.Silo.TestClocks;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Payments.Collection;

/// <summary>
/// Where a collection stands after an attempt, and when its grain should come back (null: never);
/// for a test-clock customer, its clock's advance comes back instead of a reminder.
/// </summary>
public sealed record AttemptResult(CollectionStatus Status, DateTimeOffset? ComeBackAt, bool OnTestClock = false);

/// <summary>
/// One collection attempt. Attempt n is a payment keyed <c>billing:invoice:{id}:attempt:{n}</c>,
/// written pending before the provider is asked and asked again with the same key until it has an
/// answer, so a crash or an outage between the provider's success and its recording neither loses
/// the payment nor charges twice. A success marks the period paid with the provider's reference; a
/// failure is retried on the dunning days and, after the last, suspends the customer.
/// </summary>
public sealed partial class CollectionAttempts(
    InvoiceCollectionStore collections,
    OffSessionCharges charges,
    PeriodStandings standings,
    IGrainFactory grains,
    CollectionNotices notices,
    CollectionMails mails,
    IOptions<DunningOptions> options,
    CustomerClocks clocks,
    TimeProvider time,
    ILogger<CollectionAttempts> logger)
{
    private readonly DunningOptions dunning = options.Value;
    private readonly DunningSchedule schedule = options.Value.Schedule;

    /// <summary>How often a collection's reminder comes back while an attempt has no answer (Orleans' floor is a minute).</summary>
    public TimeSpan RetryPeriod => TimeSpan.FromMinutes(dunning.AttemptRetryMinutes);

    /// <summary>Runs the collection's due attempt, if any; an outage leaves it due and answers when to come back.</summary>
    public async Task<AttemptResult> RunDueAsync(string invoiceId, bool evenIfNotDue, CancellationToken cancellationToken)
    {
        if (await collections.GetAsync(invoiceId, cancellationToken) is not { } collection)
        {
            return new AttemptResult(CollectionStatus.Settled, null);
        }

        // A test-clock customer is collected and dunned at its clock's instant, as its clock's advance reaches each attempt.
        var clock = await clocks.ClockOfAsync(collection.CustomerId, cancellationToken);
        var result = await RunDueAtAsync(collection, clocks.Of(clock).GetUtcNow(), evenIfNotDue, cancellationToken);
        return result with { OnTestClock = clock is not null };
    }

    private async Task<AttemptResult> RunDueAtAsync(StoredCollection collection, DateTimeOffset now, bool evenIfNotDue, CancellationToken cancellationToken)
    {
        var invoiceId = collection.InvoiceId;
        var canAttempt = collection.Status == CollectionStatus.Collecting || (evenIfNotDue && collection.Status == CollectionStatus.Suspended);
        if (!canAttempt || (!evenIfNotDue && collection.NextAttemptAt > now))
        {
            return new AttemptResult(collection.Status, collection.Status == CollectionStatus.Collecting ? collection.NextAttemptAt : null);
        }

        try
        {
            return await AttemptAsync(collection, now, cancellationToken);
        }
        catch (PaymentProviderException error)
        {
            // Nothing is decided: the pending payment is asked again with its key.
            var retryAt = now.AddMinutes(dunning.AttemptRetryMinutes);
            LogProviderUnavailable(logger, invoiceId, collection.Attempts + 1, dunning.AttemptRetryMinutes, error.Message);
            return new AttemptResult(collection.Status, collection.Status == CollectionStatus.Collecting ? retryAt : null);
        }
    }

    /// <summary>
    /// What the provider reported on its own (a webhook) about an attempt: the payment takes the
    /// outcome if it had none yet, and a collection still collecting decides on it now.
    /// </summary>
    public async Task ReconcileAsync(StoredPayment payment, ChargeOutcome outcome, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await charges.RecordReportedAsync(payment, outcome, now, cancellationToken);

        if (await collections.GetAsync(payment.InvoiceId!, cancellationToken) is { Status: CollectionStatus.Collecting } collection)
        {
            await collections.DeferAsync(collection.InvoiceId, now, now, cancellationToken);
            await grains.GetGrain<IInvoiceCollectionGrain>(collection.InvoiceId).CollectDueAsync();
        }
    }

    private async Task<AttemptResult> AttemptAsync(StoredCollection collection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var number = collection.Attempts + 1;
        var key = PaymentIdempotencyKey.ForInvoice(collection.InvoiceId, number);
        var payment = await charges.FindAsync(collection.CustomerId, key, cancellationToken);
        if (payment is null || payment.Status != StoredPaymentStatus.Succeeded)
        {
            // Paid or waived another way since: nothing more to collect (unless this attempt's own payment succeeded).
            if (await standings.InvoicedPeriodAsync(collection.InvoiceId, cancellationToken) is { Standing.Status: PeriodStatus.Paid or PeriodStatus.Waived })
            {
                await collections.SettleAsync(collection.InvoiceId, collection.Status, now, cancellationToken);
                return new AttemptResult(CollectionStatus.Settled, null);
            }
        }

        payment = await charges.ChargeAsync(
            collection.CustomerId, StoredPayment.InvoiceCollection, collection.Amount, key, planId: null, collection.InvoiceId, cancellationToken);
        return payment.Status switch
        {
            StoredPaymentStatus.Succeeded => await PaidAsync(collection, payment, number, now, cancellationToken),
            StoredPaymentStatus.Pending => await ProcessingAsync(collection, now, cancellationToken),
            _ => await FailedAsync(collection, payment, number, now, cancellationToken),
        };
    }

    private async Task<AttemptResult> PaidAsync(StoredCollection collection, StoredPayment payment, int number, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The period first: if the silo dies before the collection row follows, the next run finds
        // this attempt's payment succeeded and the period paid with its reference, and ends here again.
        try
        {
            await standings.PayAsync(collection.InvoiceId, Instant.FromDateTimeOffset(payment.UpdatedAt), payment.ProviderRef, cancellationToken);
        }
        catch (InvalidPeriodTransitionException error)
        {
            // Paid another way while this charge went through: the customer paid twice; an operator refunds one.
            LogPaidTwice(logger, collection.InvoiceId, payment.ProviderRef, error.Message);
        }

        // Paying a suspended invoice settles its collection on the way (the reinstatement): it was this payment all the same.
        var mail = await mails.ReceivedAsync(collection, payment, cancellationToken);
        if (!await collections.FinishAsync(collection.InvoiceId, collection.Status, CollectionStatus.Paid, number, now, mail, cancellationToken))
        {
            await collections.FinishAsync(collection.InvoiceId, CollectionStatus.Settled, CollectionStatus.Paid, number, now, mail, cancellationToken);
        }

        LogPaid(logger, collection.InvoiceId, number, payment.ProviderRef);
        return new AttemptResult(CollectionStatus.Paid, null);
    }

    private async Task<AttemptResult> ProcessingAsync(StoredCollection collection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var checkAt = now.AddHours(dunning.ProcessingCheckHours);
        await collections.DeferAsync(collection.InvoiceId, checkAt, now, cancellationToken);
        return new AttemptResult(CollectionStatus.Collecting, checkAt);
    }

    private async Task<AttemptResult> FailedAsync(StoredCollection collection, StoredPayment payment, int number, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var firstFailedAt = collection.FirstFailedAt ?? payment.UpdatedAt;
        if (collection.Status == CollectionStatus.Suspended)
        {
            // A customer's own attempt after suspension: counted, and the account stays suspended.
            await collections.FinishAsync(collection.InvoiceId, CollectionStatus.Suspended, CollectionStatus.Suspended, number, now, null, cancellationToken);
            return new AttemptResult(CollectionStatus.Suspended, null);
        }

        var decision = schedule.Next(Instant.FromDateTimeOffset(firstFailedAt), number);
        if (decision.DueAt is { } dueAt)
        {
            var retryAt = dueAt.ToDateTimeOffset();
            var failedMail = await mails.FailedAsync(collection, payment, number, retryAt, cancellationToken);
            await collections.RecordFailureAsync(collection.InvoiceId, number, firstFailedAt, retryAt, now, failedMail, cancellationToken);
            LogRetryScheduled(logger, collection.InvoiceId, number, payment.FailureCode, retryAt);
            return new AttemptResult(CollectionStatus.Collecting, retryAt);
        }

        // The account first: if the silo dies before the row follows, the next run fails the same attempt again and ends here.
        await grains.GetGrain<ISubscriptionGrain>(collection.CustomerId).SuspendAsync(collection.InvoiceId);
        await collections.FinishAsync(
            collection.InvoiceId, CollectionStatus.Collecting, CollectionStatus.Suspended, number, now, await mails.SuspendedAsync(collection, cancellationToken), cancellationToken);
        LogSuspended(logger, collection.InvoiceId, collection.CustomerId, number);
        notices.Suspended(collection, payment, number, now);
        return new AttemptResult(CollectionStatus.Suspended, null);
    }

    [LoggerMessage(EventId = 8205, Level = LogLevel.Error, Message = "Invoice {InvoiceId} was collected ({Reference}) after it had been paid another way; refund one of the payments: {Reason}")]
    private static partial void LogPaidTwice(ILogger logger, string invoiceId, string? reference, string reason);

    [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "Invoice {InvoiceId} collected on attempt {Attempt} ({Reference})")]
    private static partial void LogPaid(ILogger logger, string invoiceId, int attempt, string? reference);

    [LoggerMessage(EventId = 8202, Level = LogLevel.Warning, Message = "Invoice {InvoiceId}: attempt {Attempt} failed ({FailureCode}); retried at {RetryAt:o}")]
    private static partial void LogRetryScheduled(ILogger logger, string invoiceId, int attempt, string? failureCode, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 8203, Level = LogLevel.Warning, Message = "Invoice {InvoiceId}: attempt {Attempt}, the last, failed; customer {CustomerId} suspended")]
    private static partial void LogSuspended(ILogger logger, string invoiceId, string customerId, int attempt);

    [LoggerMessage(EventId = 8204, Level = LogLevel.Warning, Message = "Invoice {InvoiceId}: attempt {Attempt} could not reach the provider; asked again in {Minutes} min: {Reason}")]
    private static partial void LogProviderUnavailable(ILogger logger, string invoiceId, int attempt, int minutes, string reason);
}
