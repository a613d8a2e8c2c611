using Billing.Contracts.Metering;

namespace Billing.Contracts.Payments;

/// <summary>
/// Body of <c>POST /api/v1/billing/purchase</c>: the plan, and what pays for it (not needed for a
/// free plan): a payment method the provider created (<c>payment_method_id</c>, Stripe's <c>pm_…</c>),
/// or, with the sandbox provider only, card details. Card details are sent to the provider and
/// forgotten: only the brand and last four digits are kept. <c>payment_method</c> says how the
/// customer pays: <c>card</c> (the default: <c>card</c> or <c>payment_method_id</c>) or <c>paypal</c>
/// (neither: the buyer approves the payment on PayPal's pages).
/// </summary>
public sealed record PurchaseRequest(string? PlanId, PaymentCardRequest? Card, string? PaymentMethodId = null, string? PaymentMethod = null);

public sealed record PaymentCardRequest(string? Number, int? ExpMonth, int? ExpYear, string? Cvc);

/// <summary>
/// What the client must do before a payment can go on: <c>confirm</c> (3-D Secure finished, then
/// POST <c>confirm_url</c>), or <c>redirect_to_url</c> (send the buyer to <c>url</c>, PayPal's
/// approve page; PayPal sends the buyer back to the return URL, or the client POSTs <c>confirm_url</c>).
/// </summary>
public sealed record PaymentNextActionResponse(string Type, string ConfirmUrl, string? Url = null);

/// <summary>A payment as the API shows it; <c>amount</c> in the currency's major unit ("15.00").</summary>
public sealed record PaymentResponse(
    Guid Id,
    string Status,
    string Purpose,
    string? PlanId,
    decimal Amount,
    string Currency,
    string Provider,
    string? ProviderReference,
    string? CardBrand,
    string? CardLast4,
    string? FailureCode,
    string? DeclineCode,
    PaymentNextActionResponse? NextAction,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? GrantedAt,
    string? InvoiceId = null);

/// <summary>The answer to a purchase: the payment, and the subscription once the plan is granted.</summary>
public sealed record PurchaseResponse(PaymentResponse Payment, SubscriptionResponse? Subscription);

/// <summary>A page of payments, newest first; <c>next_after</c> continues it (absent on the last page).</summary>
public sealed record PaymentPageResponse(IReadOnlyList<PaymentResponse> Payments, Guid? NextAfter);

/// <summary>
/// Body of <c>POST /api/v1/billing/payment-methods</c>: one of a card (the sandbox only), a
/// provider's payment method (<c>pm_…</c>), or a SEPA Direct Debit mandate; <c>make_default</c>
/// (true when absent) makes it the method invoices and renewals are charged to.
/// </summary>
public sealed record SavePaymentMethodRequest(PaymentCardRequest? Card, string? PaymentMethodId, SepaDebitRequest? SepaDebit, bool? MakeDefault = null);

public sealed record SepaDebitRequest(string? Iban, string? AccountHolder);

/// <summary>A saved method as the API shows it: what identifies it to its owner, never the full number or IBAN.</summary>
public sealed record PaymentMethodResponse(
    Guid Id,
    string Type,
    string Provider,
    string? Brand,
    string Last4,
    int? ExpMonth,
    int? ExpYear,
    string? MandateReference,
    bool IsDefault,
    DateTimeOffset CreatedAt);

public sealed record PaymentMethodListResponse(IReadOnlyList<PaymentMethodResponse> PaymentMethods);

/// <summary>
/// An invoice's collection: where it stands (collecting, paid, suspended, settled), how many
/// attempts were made, when the next is due, and every attempt's payment, first first.
/// </summary>
public sealed record InvoiceCollectionResponse(
    string InvoiceId,
    string CustomerId,
    string Status,
    decimal Amount,
    string Currency,
    int Attempts,
    DateTimeOffset? FirstFailedAt,
    DateTimeOffset? NextAttemptAt,
    IReadOnlyList<PaymentResponse> Payments);

/// <summary>
/// A recurring plan's renewal: scheduled (renewed at <c>renews_at</c>, the period's end, by charging
/// the default saved method), lapsed (every retry failed) or cancelled (by the customer, or the
/// subscription moved to another plan), with the attempts of a failing renewal.
/// </summary>
public sealed record PlanRenewalResponse(
    string CustomerId,
    string PlanId,
    string Status,
    string? EndedReason,
    DateTimeOffset RenewsAt,
    decimal? Amount,
    string? Currency,
    int Attempts,
    DateTimeOffset? FirstFailedAt,
    DateTimeOffset? NextAttemptAt);
