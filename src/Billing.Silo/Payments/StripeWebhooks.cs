using Microsoft.Extensions.Options;
using Billing.Domain.Payments;
using Billing.Silo.Payments.Collection;
using Billing.Silo.Payments.Renewals;
using Stripe;

namespace Billing.Silo.Payments;

public enum WebhookOutcome
{
    Applied,
    AlreadyApplied,
    Ignored,
}

/// <summary>
/// Stripe's events about our PaymentIntents: verified with the endpoint's signing secret (and a
/// timestamp tolerance against replays), applied once per event id, unknown types acknowledged and
/// ignored. They reconcile what a request could not record: a silo that died after Stripe took the
/// money but before it wrote the answer learns it here (our metadata names the payment even when
/// the PaymentIntent's id was never written), and the plan is granted once.
/// </summary>
public sealed partial class StripeWebhooks(
    PaymentStore payments,
    PlanPurchases purchases,
    CollectionAttempts collections,
    RenewalAttempts renewals,
    IOptions<PaymentOptions> options,
    TimeProvider time,
    ILogger<StripeWebhooks> logger)
{
    private readonly StripeProviderOptions stripe = options.Value.Stripe;

    public bool IsConfigured => stripe.WebhookSecret is not null;

    /// <summary>The event, or null and why when the signature is missing, wrong or too old.</summary>
    public Event? Verify(string json, string? signature, out string? reason)
    {
        reason = null;
        try
        {
            return EventUtility.ConstructEvent(
                json, signature ?? string.Empty, stripe.WebhookSecret!, stripe.WebhookToleranceSeconds, time.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException error)
        {
            reason = error.Message;
            return null;
        }
    }

    public async Task<WebhookOutcome> ApplyAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        if (await payments.WasEventAppliedAsync(stripeEvent.Id, cancellationToken))
        {
            return WebhookOutcome.AlreadyApplied;
        }

        // Applying is idempotent (a payment moves on once, a grant happens once), so two deliveries
        // of one event racing past the check above change nothing twice.
        var outcome = stripeEvent.Type is "payment_intent.succeeded" or "payment_intent.payment_failed" && stripeEvent.Data.Object is PaymentIntent intent
            ? await ApplyIntentAsync(intent, cancellationToken)
            : WebhookOutcome.Ignored;
        await payments.NoteEventAppliedAsync(stripeEvent.Id, stripeEvent.Type, time.GetUtcNow(), cancellationToken);
        return outcome;
    }

    private async Task<WebhookOutcome> ApplyIntentAsync(PaymentIntent intent, CancellationToken cancellationToken)
    {
        if (await FindAsync(intent, cancellationToken) is not { } payment)
        {
            LogUnknownIntent(logger, intent.Id);
            return WebhookOutcome.Ignored;
        }

        var outcome = StripePaymentProvider.OutcomeOf(intent);
        await (payment.Purpose switch
        {
            StoredPayment.InvoiceCollection => collections.ReconcileAsync(payment, outcome, cancellationToken),
            StoredPayment.PlanRenewal => renewals.ReconcileAsync(payment, outcome, cancellationToken),
            _ => purchases.ReconcileAsync(payment, outcome, cancellationToken),
        });

        return WebhookOutcome.Applied;
    }

    // Our metadata names the payment even when the silo died before it learnt the PaymentIntent's id.
    private async Task<StoredPayment?> FindAsync(PaymentIntent intent, CancellationToken cancellationToken)
    {
        var key = intent.Metadata?.GetValueOrDefault(StripePaymentProvider.IdempotencyMetadataKey);
        if (PlanPurchases.PaymentIdOf(key) is { } paymentId)
        {
            return await payments.FindAsync(paymentId, cancellationToken);
        }

        if (PaymentIdempotencyKey.TryRead(key, out var subject, out var id, out _))
        {
            switch (subject)
            {
                case PaymentIdempotencyKey.InvoiceSubject:
                    return await payments.FindInvoiceAttemptAsync(id, key!, cancellationToken);
                case PaymentIdempotencyKey.RenewalSubject:
                    // {customer}.{period end}: the customer's payments hold the key.
                    return await payments.FindByIdempotencyKeyAsync(id.Split('.')[0], key!, cancellationToken);
            }
        }

        return await payments.FindByProviderRefAsync(intent.Id, cancellationToken);
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "Stripe reported PaymentIntent {IntentId}, which no payment here made; acknowledged and ignored")]
    private static partial void LogUnknownIntent(ILogger logger, string intentId);
}
