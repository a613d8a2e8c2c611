using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Catalog;
using Billing.Silo.Grains;
using Billing.Silo.Payments.Renewals;

namespace Billing.Silo.Payments;

public enum PurchaseOutcome
{
    Granted,
    RequiresAction,
    Failed,
    IdempotencyKeyReused,
}

/// <summary>What a purchase came to: the payment, the plan it buys, and the subscription when the plan was granted.</summary>
public sealed record PurchaseResult(PurchaseOutcome Outcome, StoredPayment Payment, Plan Plan, SubscriptionView? Subscription);

/// <summary>
/// Buying a plan. The payment is written pending before the provider is called, with an idempotency
/// key derived from the payment's id, so a retry (the client's, with its Idempotency-Key, or ours
/// after a crash) asks the provider the same question and gets the first answer. A succeeded
/// payment grants its plan through the customer's subscription grain with the payment's id as the
/// grant's id: the grant happens once, and its row is the durable fact that the payment was granted.
/// A recurring plan's renewal is scheduled with the grant.
/// </summary>
public sealed class PlanPurchases(
    PaymentStore payments, PaymentProviders providers, CatalogStore catalog, RenewalAttempts renewals, IGrainFactory grains, TimeProvider time)
{
    public const string FreeProvider = "none";

    public async Task<PurchaseResult> PurchaseAsync(string customerId, Plan plan, PaymentSource? source, string? idempotencyKey, string requestHash, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && await payments.FindByIdempotencyKeyAsync(customerId, idempotencyKey, cancellationToken) is { } earlier)
        {
            return await RetryAsync(earlier, plan, source, requestHash, cancellationToken);
        }

        var payment = NewPayment(customerId, plan, source, idempotencyKey, requestHash);
        if (!await payments.InsertAsync(payment, cancellationToken))
        {
            // A concurrent retry with the same key inserted first: carry on with its payment.
            var winner = await payments.FindByIdempotencyKeyAsync(customerId, idempotencyKey!, cancellationToken)
                ?? throw new InvariantViolationException($"Payment insert for {customerId} conflicted, but no payment holds its idempotency key.");
            return await RetryAsync(winner, plan, source, requestHash, cancellationToken);
        }

        return await ResumeAsync(payment, plan, source, cancellationToken);
    }

    /// <summary>The customer finished the authentication the charge asked for: the charge goes on, and a success grants the plan.</summary>
    public async Task<PurchaseResult> ConfirmAsync(StoredPayment payment, CancellationToken cancellationToken)
    {
        var plan = await PlanOfAsync(payment, cancellationToken);
        if (payment.Status != StoredPaymentStatus.RequiresAction)
        {
            return await ResumeAsync(payment, plan, source: null, cancellationToken);
        }

        var outcome = await providers.Of(payment).ConfirmAsync(payment.ProviderRef!, KeyOf(payment), cancellationToken);
        return await RecordAsync(payment, StoredPaymentStatus.RequiresAction, outcome, plan, cancellationToken);
    }

    /// <summary>
    /// What the provider reported on its own (a webhook): a payment still pending or awaiting
    /// action takes the outcome; one already decided keeps its answer. A success grants the plan.
    /// </summary>
    public async Task<PurchaseResult> ReconcileAsync(StoredPayment payment, ChargeOutcome outcome, CancellationToken cancellationToken)
    {
        var plan = await PlanOfAsync(payment, cancellationToken);
        return payment.Status is StoredPaymentStatus.Pending or StoredPaymentStatus.RequiresAction
            ? await RecordAsync(payment, payment.Status, outcome, plan, cancellationToken)
            : await ResumeAsync(payment, plan, source: null, cancellationToken);
    }

    /// <summary>Grants a succeeded purchase's plan (idempotent), then notes that it is done: for the sweep.</summary>
    public async Task<SubscriptionView> GrantAsync(StoredPayment payment, CancellationToken cancellationToken) =>
        await GrantAsync(payment, await PlanOfAsync(payment, cancellationToken), cancellationToken);

    /// <summary>The payment of an idempotency key that <see cref="KeyOf"/> made; null for any other key.</summary>
    public static Guid? PaymentIdOf(string? key) =>
        PaymentIdempotencyKey.TryRead(key, out var subject, out var id, out _) && subject == StoredPayment.PlanPurchase && Guid.TryParseExact(id, "N", out var paymentId)
            ? paymentId
            : null;

    private async Task<SubscriptionView> GrantAsync(StoredPayment payment, Plan plan, CancellationToken cancellationToken)
    {
        if (payment.Status != StoredPaymentStatus.Succeeded || payment.PlanId != plan.Id)
        {
            throw new InvariantViolationException($"Payment {payment.PaymentId} ({payment.Status}, plan {payment.PlanId}) cannot grant plan {plan.Id}.");
        }

        var view = await grains.Subscription(payment.CustomerId).GrantForPaymentAsync(PlanGrant.Of(plan), payment.PaymentId);
        // Before the grant is noted: a crash in between leaves the payment to the sweep, which schedules it then.
        await renewals.ScheduleAsync(payment.CustomerId, plan, view, cancellationToken);
        await payments.MarkGrantedAsync(payment.PaymentId, time.GetUtcNow(), cancellationToken);
        return view;
    }

    private async Task<PurchaseResult> GrantedAsync(StoredPayment payment, Plan plan, CancellationToken cancellationToken)
    {
        var view = await GrantAsync(payment, plan, cancellationToken);
        // Read back: the answer shows when the grant was noted (by this request or a sweep before it).
        var noted = await payments.GetAsync(payment.CustomerId, payment.PaymentId, cancellationToken) ?? payment;
        return new PurchaseResult(PurchaseOutcome.Granted, noted, plan, view);
    }

    private async Task<PurchaseResult> ResumeAsync(StoredPayment payment, Plan plan, PaymentSource? source, CancellationToken cancellationToken)
    {
        switch (payment.Status)
        {
            case StoredPaymentStatus.Succeeded:
                return await GrantedAsync(payment, plan, cancellationToken);
            case StoredPaymentStatus.Failed:
                return new PurchaseResult(PurchaseOutcome.Failed, payment, plan, null);
            case StoredPaymentStatus.RequiresAction:
                return new PurchaseResult(PurchaseOutcome.RequiresAction, payment, plan, null);
        }

        if (source is null)
        {
            throw new InvariantViolationException($"Pending payment {payment.PaymentId} has nothing to charge.");
        }

        var outcome = await providers.For(source).ChargeAsync(payment.Amount, source, KeyOf(payment), cancellationToken);
        return await RecordAsync(payment, StoredPaymentStatus.Pending, outcome, plan, cancellationToken);
    }

    private async Task<PurchaseResult> RecordAsync(StoredPayment payment, StoredPaymentStatus from, ChargeOutcome outcome, Plan plan, CancellationToken cancellationToken)
    {
        // If a concurrent request recorded first, its answer is the same provider's (same key): reread and go on from it.
        await payments.RecordAsync(payment.PaymentId, from, outcome, time.GetUtcNow(), cancellationToken);
        var recorded = await payments.GetAsync(payment.CustomerId, payment.PaymentId, cancellationToken)
            ?? throw new InvariantViolationException($"Payment {payment.PaymentId} vanished while it was recorded.");
        if (recorded.Status == StoredPaymentStatus.Pending)
        {
            throw new InvariantViolationException($"Payment {payment.PaymentId} stayed pending after the provider answered {outcome.Status}.");
        }

        return await ResumeAsync(recorded, plan, source: null, cancellationToken);
    }

    // A payment already made under the client's Idempotency-Key: the same purchase goes on from where it stands.
    private async Task<PurchaseResult> RetryAsync(StoredPayment earlier, Plan plan, PaymentSource? source, string requestHash, CancellationToken cancellationToken) =>
        earlier.RequestHash != requestHash
            ? new PurchaseResult(PurchaseOutcome.IdempotencyKeyReused, earlier, plan, null)
            : await ResumeAsync(earlier, plan, source, cancellationToken);

    private async Task<Plan> PlanOfAsync(StoredPayment payment, CancellationToken cancellationToken) =>
        await catalog.GetPlanAsync(payment.PlanId!, cancellationToken)
            ?? throw new InvariantViolationException($"Payment {payment.PaymentId} bought plan {payment.PlanId}, which does not exist.");

    private StoredPayment NewPayment(string customerId, Plan plan, PaymentSource? source, string? idempotencyKey, string requestHash)
    {
        var now = time.GetUtcNow();
        var free = plan.Price.Amount == 0m;
        if (!free && source is null)
        {
            throw new InvariantViolationException($"Plan {plan.Id} costs {plan.Price}; a purchase needs something to charge.");
        }

        var summary = source is CardInput card ? CardSummary.FromNumber(card.Number, card.ExpiryMonth, card.ExpiryYear) : (CardSummary?)null;
        return new StoredPayment(
            Guid.CreateVersion7(now), customerId, StoredPayment.PlanPurchase, plan.Id, plan.Price,
            free ? StoredPaymentStatus.Succeeded : StoredPaymentStatus.Pending, free ? FreeProvider : providers.For(source!).Name,
            null, null, null, summary?.Brand.ProviderName(), summary?.Last4, idempotencyKey, requestHash, now, now, null);
    }

    private static PaymentIdempotencyKey KeyOf(StoredPayment payment) =>
        PaymentIdempotencyKey.Create(StoredPayment.PlanPurchase, payment.PaymentId.ToString("N"), attempt: 1);
}
