using Billing.Domain;
using Billing.Domain.Payments;

namespace Billing.Silo.Payments;

/// <summary>A card as the customer typed it, in memory for one request only: never stored, never logged.</summary>
public sealed record CardInput(string Number, int ExpiryMonth, int ExpiryYear)
{
    public override string ToString() => "(card details)";
}

public enum ChargeStatus
{
    Succeeded,
    RequiresAction,
    Failed,
}

/// <summary>What a provider answered to a charge: its reference, and the codes it gave when the charge did not succeed.</summary>
public sealed record ChargeOutcome(ChargeStatus Status, string ProviderRef, string? FailureCode, string? DeclineCode);

/// <summary>
/// Moves money. Every call carries an idempotency key derived from what it pays, so a retry after
/// a timeout or a crash is answered with the first call's outcome instead of charging again.
/// </summary>
public interface IPaymentProvider
{
    string Name { get; }

    Task<ChargeOutcome> ChargeCardAsync(Money amount, CardInput card, PaymentIdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>The customer finished the authentication a charge asked for (3-D Secure); the charge goes on.</summary>
    Task<ChargeOutcome> ConfirmAsync(string providerRef, PaymentIdempotencyKey key, CancellationToken cancellationToken);
}
