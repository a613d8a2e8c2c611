namespace Billing.Silo.Payments;

public enum PayPalReturnOutcome
{
    Answered,
    NotConfigured,
    UnknownOrder,
}

/// <summary>
/// The buyer's browser coming back from PayPal with the order's id (<c>token</c>): no API key, so
/// the payment is found by the order it created, and only PayPal's own answer moves it on. A
/// return captures the approved order and grants the plan once (a repeated return captures and
/// grants nothing more); a cancel fails a payment whose order the buyer did not approve.
/// </summary>
public sealed class PayPalCheckouts(PaymentStore payments, PlanPurchases purchases, PaymentProviders providers)
{
    /// <summary>PayPal's order ids are 17 letters and digits; this bounds what a browser may send.</summary>
    public const int MaxOrderIdLength = 64;

    public Task<(PayPalReturnOutcome Outcome, PurchaseResult? Result)> ReturnAsync(string? orderId, CancellationToken cancellationToken) =>
        OnPaymentAsync(orderId, (payment, ct) => purchases.ConfirmAsync(payment, ct), cancellationToken);

    public Task<(PayPalReturnOutcome Outcome, PurchaseResult? Result)> CancelAsync(string? orderId, CancellationToken cancellationToken) =>
        OnPaymentAsync(
            orderId,
            async (payment, ct) =>
                // A cancel page reached after the buyer approved (another tab, a late redirect) must not
                // fail a payment PayPal may be capturing: it is handled as a return.
                payment.Status != StoredPaymentStatus.RequiresAction || await providers.PayPal!.WasApprovedAsync(payment.ProviderRef!, ct)
                    ? await purchases.ConfirmAsync(payment, ct)
                    : await purchases.ReconcileAsync(payment, PayPalPaymentProvider.Cancelled(payment.ProviderRef!), ct),
            cancellationToken);

    public static bool IsOrderId(string? text) =>
        text is { Length: > 0 and <= MaxOrderIdLength } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private async Task<(PayPalReturnOutcome, PurchaseResult?)> OnPaymentAsync(
        string? orderId, Func<StoredPayment, CancellationToken, Task<PurchaseResult>> act, CancellationToken cancellationToken)
    {
        if (providers.PayPal is null)
        {
            return (PayPalReturnOutcome.NotConfigured, null);
        }

        if (!IsOrderId(orderId)
            || await payments.FindByProviderRefAsync(orderId!, cancellationToken) is not { Provider: PaymentOptions.PayPalProvider } payment
            || payment.Status == StoredPaymentStatus.Pending)
        {
            return (PayPalReturnOutcome.UnknownOrder, null);
        }

        return (PayPalReturnOutcome.Answered, await act(payment, cancellationToken));
    }
}
