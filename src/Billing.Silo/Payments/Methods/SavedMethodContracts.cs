using Billing.Domain.Payments;

namespace Billing.Silo.Payments.Methods;

public enum PaymentMethodKind
{
    Card,
    SepaDebit,
}

/// <summary>A SEPA Direct Debit mandate's details as the customer gave them: in memory for one request, the IBAN never stored whole.</summary>
public sealed record SepaDebitInput(Iban Iban, string AccountHolder) : PaymentSource
{
    public const int MaxAccountHolderLength = 140;

    public override string ToString() => $"(SEPA debit {Iban.Masked})";
}

/// <summary>A method the provider keeps for the customer, charged off-session (no customer present): invoices and renewals.</summary>
public sealed record SavedPaymentMethod(string? ProviderCustomerRef, string ProviderMethodRef, PaymentMethodKind Kind) : PaymentSource;

/// <summary>Who saves a method: our customer, the provider's customer when one exists, and whom the provider may write to.</summary>
public sealed record MethodSetup(string CustomerId, string? ProviderCustomerRef, string Email, PaymentSource Source);

/// <summary>
/// What saving a method came to: the provider's references and what may be shown of it, or (when
/// <see cref="FailureCode"/> is set) a refusal, e.g. a card declined on attaching.
/// </summary>
public sealed record SavedMethodOutcome(
    string? ProviderCustomerRef,
    string? ProviderMethodRef,
    PaymentMethodKind Kind,
    string? Brand,
    string? Last4,
    int? ExpiryMonth,
    int? ExpiryYear,
    string? MandateRef,
    string? FailureCode = null,
    string? DeclineCode = null)
{
    public bool IsSaved => FailureCode is null;

    public static SavedMethodOutcome Refused(PaymentMethodKind kind, string failureCode, string? declineCode) =>
        new(null, null, kind, null, null, null, null, null, failureCode, declineCode);
}

/// <summary>Providers that keep methods for customers and charge them off-session.</summary>
public interface IPaymentMethodVault
{
    /// <summary>Creates the provider's customer when <see cref="MethodSetup.ProviderCustomerRef"/> is null, then saves the method to it.</summary>
    Task<SavedMethodOutcome> SaveMethodAsync(MethodSetup setup, PaymentIdempotencyKey key, CancellationToken cancellationToken);
}
