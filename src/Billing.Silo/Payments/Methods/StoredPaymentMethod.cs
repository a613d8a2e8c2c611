namespace Billing.Silo.Payments.Methods;

/// <summary>A row of <c>payment_methods</c> with its provider customer: what charges it off-session, and what may be shown.</summary>
public sealed record StoredPaymentMethod(
    Guid MethodId,
    string CustomerId,
    PaymentMethodKind Kind,
    string Provider,
    string? ProviderCustomerRef,
    string ProviderRef,
    string? MandateRef,
    string? Brand,
    string Last4,
    int? ExpiryMonth,
    int? ExpiryYear,
    bool IsDefault,
    DateTimeOffset CreatedAt)
{
    public const string CardKind = "card";
    public const string SepaDebitKind = "sepa_debit";

    public SavedPaymentMethod Source => new(ProviderCustomerRef, ProviderRef, Kind);

    public static string KindName(PaymentMethodKind kind) => kind == PaymentMethodKind.SepaDebit ? SepaDebitKind : CardKind;

    public static PaymentMethodKind ParseKind(string name) => name switch
    {
        CardKind => PaymentMethodKind.Card,
        SepaDebitKind => PaymentMethodKind.SepaDebit,
        _ => throw new Billing.Domain.InvariantViolationException($"Stored payment method kind '{name}' is unknown."),
    };
}
