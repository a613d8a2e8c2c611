using Billing.Domain;
using Billing.Domain.Payments;

namespace Billing.Silo.Payments;

/// <summary>What pays: card details (the sandbox only), or a payment method the provider holds.</summary>
public abstract record PaymentSource;

/// <summary>A card as the customer typed it, in memory for one request only: never stored, never logged.</summary>
public sealed record CardInput(string Number, int ExpiryMonth, int ExpiryYear) : PaymentSource
{
    public override string ToString() => "(card details)";
}

/// <summary>A payment method the provider created (Stripe: a <c>pm_…</c> id from Stripe.js, or a test one such as <c>pm_card_visa</c>).</summary>
public sealed record ProviderPaymentMethod(string Id) : PaymentSource
{
    public const int MaxIdLength = 255;
}

/// <summary>The buyer pays on PayPal's pages: an order is created, the buyer approves it there, and it is captured on return.</summary>
public sealed record PayPalCheckout : PaymentSource
{
    public static readonly PayPalCheckout Instance = new();

    private PayPalCheckout()
    {
    }
}

public enum ChargeStatus
{
    Succeeded,
    RequiresAction,
    Failed,

    /// <summary>Accepted but not yet settled (a SEPA debit): the payment stays pending until the provider reports the result.</summary>
    Processing,
}

/// <summary>
/// What a provider answered to a charge: its reference (absent when it refused before creating
/// one), the codes it gave when the charge did not succeed, the card it charged when it says, and
/// where the buyer goes to act when the provider has a page for it (PayPal's approve link).
/// </summary>
public sealed record ChargeOutcome(
    ChargeStatus Status, string? ProviderRef, string? FailureCode, string? DeclineCode, string? CardBrand = null, string? CardLast4 = null, string? NextActionUrl = null);

public enum RefundStatus
{
    Succeeded,

    /// <summary>The provider took the refund and finishes it later (Stripe: pending, requires_action).</summary>
    Pending,
    Failed,
}

/// <summary>What a provider answered to a refund: its reference (Stripe: <c>re_…</c>) and, when it failed, why.</summary>
public sealed record RefundOutcome(RefundStatus Status, string? RefundRef, string? FailureCode);

/// <summary>The provider could not be asked or gave no usable answer; the payment stays pending and a retry asks again with the same key.</summary>
public sealed class PaymentProviderException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Moves money. Every call carries an idempotency key derived from what it pays, so a retry after
/// a timeout or a crash is answered with the first call's outcome instead of charging again.
/// </summary>
public interface IPaymentProvider
{
    string Name { get; }

    /// <summary>Null when this provider can charge <paramref name="source"/>; otherwise why not, for the client.</summary>
    string? Refusal(PaymentSource source);

    Task<ChargeOutcome> ChargeAsync(Money amount, PaymentSource source, PaymentIdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>After the customer's authentication (3-D Secure): where the charge stands now.</summary>
    Task<ChargeOutcome> ConfirmAsync(string providerRef, PaymentIdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back <paramref name="amount"/> of the payment <paramref name="providerRef"/> (Stripe: a
    /// PaymentIntent). The key is derived from the credit note, so asking again after a timeout or a
    /// crash is answered with the first refund instead of refunding twice.
    /// </summary>
    Task<RefundOutcome> RefundAsync(string providerRef, Money amount, PaymentIdempotencyKey key, CancellationToken cancellationToken);
}
