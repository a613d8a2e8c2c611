using Billing.Domain;

namespace Billing.Silo.Payments;

/// <summary>
/// Which provider moves a payment's money. Cards (numbers or payment method ids) go to the provider
/// <c>Billing:Payments:Provider</c> names, as they always did; a purchase that names PayPal goes to
/// PayPal, which is offered beside it when configured. A stored payment goes back to the provider
/// it names, so a PayPal payment is confirmed by PayPal whatever the card provider is.
/// </summary>
public sealed class PaymentProviders(IPaymentProvider card, PayPalPaymentProvider? payPal)
{
    /// <summary>Null when <c>Billing:Payments:PayPal</c> has no client id and secret.</summary>
    public PayPalPaymentProvider? PayPal => payPal;

    /// <summary>The provider that charges <paramref name="source"/>; PayPal must be configured when the source is PayPal.</summary>
    public IPaymentProvider For(PaymentSource source) => source is PayPalCheckout
        ? payPal ?? throw new InvariantViolationException("A PayPal purchase reached the payment flow, but PayPal is not configured.")
        : card;

    /// <summary>The provider that made <paramref name="payment"/>: PayPal's, or the card provider.</summary>
    public IPaymentProvider Of(StoredPayment payment) => payment.Provider == PaymentOptions.PayPalProvider
        ? payPal ?? throw new PaymentProviderException($"Payment {payment.PaymentId} was made with PayPal, which is no longer configured (Billing:Payments:PayPal).")
        : card;
}
