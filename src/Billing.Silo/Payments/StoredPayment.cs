using Billing.Domain;

namespace Billing.Silo.Payments;

public enum StoredPaymentStatus
{
    Pending,
    RequiresAction,
    Succeeded,
    Failed,
}

/// <summary>
/// A row of <c>payments</c>: what we know of one payment. Card data is the brand and last 4 only.
/// <see cref="NextActionUrl"/> is the provider's page where the buyer acts (PayPal's approve link).
/// </summary>
public sealed record StoredPayment(
    Guid PaymentId,
    string CustomerId,
    string Purpose,
    string? PlanId,
    Money Amount,
    StoredPaymentStatus Status,
    string Provider,
    string? ProviderRef,
    string? FailureCode,
    string? DeclineCode,
    string? CardBrand,
    string? CardLast4,
    string? IdempotencyKey,
    string? RequestHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? GrantedAt,
    string? InvoiceId = null,
    Guid? MethodId = null,
    string? NextActionUrl = null)
{
    public const string PlanPurchase = "plan_purchase";
    public const string InvoiceCollection = "invoice_collection";
    public const string PlanRenewal = "plan_renewal";

    public static string StatusName(StoredPaymentStatus status) => status switch
    {
        StoredPaymentStatus.Pending => "pending",
        StoredPaymentStatus.RequiresAction => "requires_action",
        StoredPaymentStatus.Succeeded => "succeeded",
        StoredPaymentStatus.Failed => "failed",
        _ => throw new InvariantViolationException($"Unknown payment status {status}."),
    };

    public static StoredPaymentStatus ParseStatus(string name) => name switch
    {
        "pending" => StoredPaymentStatus.Pending,
        "requires_action" => StoredPaymentStatus.RequiresAction,
        "succeeded" => StoredPaymentStatus.Succeeded,
        "failed" => StoredPaymentStatus.Failed,
        _ => throw new InvariantViolationException($"Stored payment status '{name}' is unknown."),
    };
}
