using System.Security.Cryptography;
using System.Text;
using Billing.Domain;
using Billing.Domain.Payments;

namespace Billing.Silo.Payments;

/// <summary>
/// The offline provider: Stripe's published test cards decide the outcome
/// (<see cref="SandboxPaymentBehaviour"/>), no network is used and nothing is kept. Its reference is
/// derived from the idempotency key, so a retried charge gets the same reference and outcome, as
/// Stripe's idempotency keys give. A confirmation (the customer finished 3-D Secure) succeeds.
/// </summary>
public sealed class SandboxPaymentProvider : IPaymentProvider
{
    public string Name => PaymentOptions.SandboxProvider;

    public Task<ChargeOutcome> ChargeCardAsync(Money amount, CardInput card, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        if (amount.Amount <= 0m)
        {
            throw new InvariantViolationException($"A charge must be positive, got {amount}.");
        }

        var outcome = SandboxPaymentBehaviour.OnCharge(card.Number);
        var reference = Reference(key);
        return Task.FromResult(outcome.Status switch
        {
            SandboxPaymentStatus.Succeeded => new ChargeOutcome(ChargeStatus.Succeeded, reference, null, null),
            SandboxPaymentStatus.RequiresAction => new ChargeOutcome(ChargeStatus.RequiresAction, reference, outcome.Code, null),
            _ => new ChargeOutcome(ChargeStatus.Failed, reference, outcome.Code, outcome.DeclineCode),
        });
    }

    public Task<ChargeOutcome> ConfirmAsync(string providerRef, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        if (!string.Equals(providerRef, Reference(key), StringComparison.Ordinal))
        {
            throw new InvariantViolationException($"Sandbox reference {providerRef} was not issued for this payment.");
        }

        return Task.FromResult(new ChargeOutcome(ChargeStatus.Succeeded, providerRef, null, null));
    }

    // "pi_sandbox_" and 24 hex characters of the key's hash: Stripe's PaymentIntent id shape.
    private static string Reference(PaymentIdempotencyKey key) =>
        "pi_sandbox_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Value)))[..24];
}
