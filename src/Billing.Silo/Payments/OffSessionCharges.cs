using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Payments.Methods;
using Billing.Silo.TestClocks;

namespace Billing.Silo.Payments;

/// <summary>
/// Charges a saved method while the customer is away (an invoice's collection, a plan's renewal).
/// The payment is written pending, keyed by what it pays, before the provider is asked; a pending
/// payment is asked again under the same key until it has an answer, so a crash or an outage between
/// the provider's success and its recording neither loses the payment nor charges twice.
/// </summary>
/// <remarks>A test-clock customer's payments are stamped at its clock's instant.</remarks>
public sealed class OffSessionCharges(PaymentStore payments, PaymentMethodStore methods, IPaymentProvider provider, CustomerClocks clocks)
{
    public const string NoPaymentMethod = "no_payment_method";

    /// <summary>
    /// The payment keyed <paramref name="key"/>: found, or written pending (to the default method
    /// now, if any) and then asked for, until it is decided or still processing.
    /// </summary>
    public async Task<StoredPayment> ChargeAsync(
        string customerId, string purpose, Money amount, PaymentIdempotencyKey key, string? planId, string? invoiceId, CancellationToken cancellationToken)
    {
        var time = await clocks.ForCustomerAsync(customerId, cancellationToken);
        var payment = await payments.FindByIdempotencyKeyAsync(customerId, key.Value, cancellationToken);
        if (payment is null)
        {
            var method = await methods.DefaultAsync(customerId, cancellationToken);
            var now = time.GetUtcNow();
            payment = new StoredPayment(
                Guid.CreateVersion7(now), customerId, purpose, planId, amount, StoredPaymentStatus.Pending, method?.Provider ?? provider.Name,
                null, null, null, method?.Brand, method?.Last4, key.Value, null, now, now, null, invoiceId, method?.MethodId);
            if (!await payments.InsertAsync(payment, cancellationToken))
            {
                payment = await payments.FindByIdempotencyKeyAsync(customerId, key.Value, cancellationToken)
                    ?? throw new InvariantViolationException($"Payment {key.Value} conflicted, but no payment holds its key.");
            }
        }

        return payment.Status == StoredPaymentStatus.Pending ? await AskAsync(payment, key, time, cancellationToken) : payment;
    }

    /// <summary>
    /// What the provider reported on its own (a webhook): a payment still pending or awaiting action
    /// takes <paramref name="outcome"/>; one already decided keeps its answer.
    /// </summary>
    public async Task RecordReportedAsync(StoredPayment payment, ChargeOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (payment.Status is StoredPaymentStatus.Pending or StoredPaymentStatus.RequiresAction)
        {
            await payments.RecordAsync(payment.PaymentId, payment.Status, outcome, now, cancellationToken);
        }
    }

    /// <summary>Finds the payment of <paramref name="key"/>, if one was written.</summary>
    public Task<StoredPayment?> FindAsync(string customerId, PaymentIdempotencyKey key, CancellationToken cancellationToken) =>
        payments.FindByIdempotencyKeyAsync(customerId, key.Value, cancellationToken);

    private async Task<StoredPayment> AskAsync(StoredPayment payment, PaymentIdempotencyKey key, TimeProvider time, CancellationToken cancellationToken)
    {
        ChargeOutcome outcome;
        if (payment.MethodId is not { } methodId)
        {
            outcome = new ChargeOutcome(ChargeStatus.Failed, null, NoPaymentMethod, null);
        }
        else if (payment.ProviderRef is { } reference)
        {
            // A debit the provider is still processing: ask where it stands now.
            outcome = await provider.ConfirmAsync(reference, key, cancellationToken);
        }
        else
        {
            var method = await methods.GetAsync(methodId, cancellationToken)
                ?? throw new InvariantViolationException($"Payment {payment.PaymentId} charges method {methodId}, which does not exist.");
            outcome = await provider.ChargeAsync(payment.Amount, method.Source, key, cancellationToken);
        }

        await payments.RecordAsync(payment.PaymentId, StoredPaymentStatus.Pending, outcome, time.GetUtcNow(), cancellationToken);
        return await payments.FindAsync(payment.PaymentId, cancellationToken)
            ?? throw new InvariantViolationException($"Payment {payment.PaymentId} vanished while it was recorded.");
    }
}
