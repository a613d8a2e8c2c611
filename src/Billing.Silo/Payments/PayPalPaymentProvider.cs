using Billing.Domain;
using Billing.Domain.Payments;

namespace Billing.Silo.Payments;

/// <summary>
/// PayPal Checkout as a provider: a charge creates an order (intent CAPTURE) under the payment's
/// idempotency key as PayPal-Request-Id, and answers <see cref="ChargeStatus.RequiresAction"/> with
/// PayPal's approve link; once the buyer approved it on PayPal, a confirmation captures it under a
/// request id of its own, so a repeated return or confirmation never captures twice. PayPal's
/// documented refusals are outcomes: not yet approved waits, a declined instrument or an order
/// PayPal no longer has fails the payment.
/// </summary>
public sealed class PayPalPaymentProvider(PayPalClient paypal) : IPaymentProvider
{
    public const string CancelledCode = "paypal_cancelled";
    public const string DeclinedCode = "paypal_declined";

    public string Name => PaymentOptions.PayPalProvider;

    public string? Refusal(PaymentSource source) =>
        source is PayPalCheckout ? null : "PayPal pays only purchases that name it (\"payment_method\": \"paypal\")";

    public async Task<ChargeOutcome> ChargeAsync(Money amount, PaymentSource source, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        if (source is not PayPalCheckout || amount.Amount <= 0m || PlanPurchases.PaymentIdOf(key.Value) is not { } paymentId)
        {
            throw new InvariantViolationException($"PayPal cannot charge {amount} to {source} under key {key}.");
        }

        try
        {
            return OutcomeOf(await paypal.CreateOrderAsync(amount, paymentId, key.Value, cancellationToken));
        }
        catch (PayPalRefusedException refused)
        {
            // E.g. CURRENCY_NOT_SUPPORTED: no order exists, nothing was asked of the buyer.
            return Declined(null, refused.Issue);
        }
    }

    /// <summary>The buyer came back (or the client confirms): an approved order is captured; one not yet approved keeps waiting.</summary>
    /// <summary>
    /// Invoices are refunded through the provider that collected them, the card provider; PayPal
    /// only sells plans at checkout, so no invoice payment ever reaches here.
    /// </summary>
    public Task<RefundOutcome> RefundAsync(string providerRef, Money amount, PaymentIdempotencyKey key, CancellationToken cancellationToken) =>
        throw new InvariantViolationException($"PayPal order {providerRef} paid a plan, not an invoice: invoice refunds go through the card provider.");

    public async Task<ChargeOutcome> ConfirmAsync(string providerRef, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        PayPalOrder order;
        try
        {
            order = await paypal.GetOrderAsync(providerRef, cancellationToken);
            EnsureOurs(order, key);
            if (order.Status == "APPROVED")
            {
                order = await paypal.CaptureAsync(providerRef, CaptureRequestId(key), cancellationToken);
            }
        }
        catch (PayPalRefusedException refused) when (refused.Issue == "ORDER_ALREADY_CAPTURED")
        {
            // A concurrent return captured it first: read what that capture came to.
            order = await paypal.GetOrderAsync(providerRef, cancellationToken);
        }
        catch (PayPalRefusedException refused) when (refused.Issue is "ORDER_NOT_APPROVED" or "PAYER_ACTION_REQUIRED")
        {
            return new ChargeOutcome(ChargeStatus.RequiresAction, providerRef, "payer_action_required", null);
        }
        catch (PayPalRefusedException refused)
        {
            // INSTRUMENT_DECLINED, TRANSACTION_REFUSED, …; 404: PayPal dropped the unapproved order.
            return Declined(providerRef, refused.StatusCode == 404 ? "order_not_found" : refused.Issue);
        }

        return OutcomeOf(order);
    }

    /// <summary>True when the buyer approved the order (or it was captured): a cancel page reached after that must not fail the payment.</summary>
    public async Task<bool> WasApprovedAsync(string orderId, CancellationToken cancellationToken)
    {
        try
        {
            return (await paypal.GetOrderAsync(orderId, cancellationToken)).Status is "APPROVED" or "COMPLETED";
        }
        catch (PayPalRefusedException)
        {
            return false;
        }
    }

    public static ChargeOutcome Cancelled(string orderId) => new(ChargeStatus.Failed, orderId, CancelledCode, null);

    /// <summary>Capturing is its own request: its id differs from the order's, and is the same on every retry of this payment's capture.</summary>
    public static string CaptureRequestId(PaymentIdempotencyKey key) => key.Value + ":capture";

    /// <summary>Where an order stands; <see cref="PaymentProviderException"/> for a status Orders v2 does not document.</summary>
    public static ChargeOutcome OutcomeOf(PayPalOrder order) => order.Status switch
    {
        "CREATED" or "SAVED" or "PAYER_ACTION_REQUIRED" or "APPROVED" =>
            new ChargeOutcome(ChargeStatus.RequiresAction, order.Id, "payer_action_required", null, NextActionUrl: order.ApproveUrl),
        "COMPLETED" => order.Capture?.Status switch
        {
            "COMPLETED" => new ChargeOutcome(ChargeStatus.Succeeded, order.Id, null, null),
            // Held by PayPal (e.g. under review): not paid yet; a later confirmation reads it again.
            "PENDING" => new ChargeOutcome(ChargeStatus.RequiresAction, order.Id, "paypal_capture_pending", null),
            { } status => Declined(order.Id, "capture_" + status),
            null => throw new PaymentProviderException($"PayPal order {order.Id} is COMPLETED without a capture."),
        },
        "VOIDED" => Declined(order.Id, "order_voided"),
        _ => throw new PaymentProviderException($"PayPal order {order.Id} is {order.Status}, which Orders v2 does not document."),
    };

    private static ChargeOutcome Declined(string? orderId, string issue) =>
        new(ChargeStatus.Failed, orderId, DeclinedCode, issue.ToLowerInvariant());

    private static void EnsureOurs(PayPalOrder order, PaymentIdempotencyKey key)
    {
        if (order.CustomId is { } customId && PlanPurchases.PaymentIdOf(key.Value) is { } paymentId && customId != paymentId.ToString("D"))
        {
            throw new InvariantViolationException($"PayPal order {order.Id} names payment {customId}, not {paymentId}.");
        }
    }
}
