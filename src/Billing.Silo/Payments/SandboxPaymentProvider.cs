using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Payments.Methods;

namespace Billing.Silo.Payments;

/// <summary>
/// The offline provider: Stripe's published test cards decide the outcome
/// (<see cref="SandboxPaymentBehaviour"/>), given as numbers or as Stripe's test payment methods
/// (<c>pm_card_visa</c>…); no network is used and nothing is kept. Its reference is derived from
/// the idempotency key, so a retried charge gets the same reference and outcome, as Stripe's
/// idempotency keys give. A confirmation (the customer finished 3-D Secure) succeeds.
/// </summary>
public sealed partial class SandboxPaymentProvider : IPaymentProvider
{
    /// <summary>Stripe's test payment methods and the test cards behind them.</summary>
    private static readonly FrozenDictionary<string, string> TestPaymentMethods = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pm_card_visa"] = "4242424242424242",
        ["pm_card_chargeDeclined"] = "4000000000000002",
        ["pm_card_chargeDeclinedInsufficientFunds"] = "4000000000009995",
        ["pm_card_authenticationRequired"] = "4000002500003155",
        ["pm_card_chargeCustomerFail"] = "4000000000000341",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Declared after TestPaymentMethods in this file, so it is initialised after it. A saved card is
    // read to its digits before it reaches a provider (CardInput), so its number is a key here as it is.
    private static readonly FrozenDictionary<string, string> TestPaymentMethodsByNumber =
        TestPaymentMethods.ToFrozenDictionary(m => m.Value, m => m.Key, StringComparer.Ordinal);

    public string Name => PaymentOptions.SandboxProvider;

    public string? Refusal(PaymentSource source) => source switch
    {
        CardInput => null,
        ProviderPaymentMethod { Id: var id } when TestPaymentMethods.ContainsKey(id) => null,
        ProviderPaymentMethod => $"the sandbox knows the test payment methods {string.Join(", ", TestPaymentMethods.Keys.Order(StringComparer.Ordinal))}",
        SavedPaymentMethod saved => SavedRefusal(saved),
        _ => throw new InvariantViolationException($"Unknown payment source {source.GetType().Name}."),
    };

    public Task<ChargeOutcome> ChargeAsync(Money amount, PaymentSource source, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        var refusal = amount.Amount <= 0m ? "not a positive amount" : Refusal(source);
        if (refusal is not null)
        {
            throw new InvariantViolationException($"The sandbox cannot charge {amount} to {source}: {refusal}.");
        }

        var reference = Reference(key);
        if (source is SavedPaymentMethod { Kind: PaymentMethodKind.SepaDebit } mandate)
        {
            return Task.FromResult(Answer(SandboxPaymentBehaviour.OnSepaDebit(MandateIban(mandate)), reference, null, null));
        }

        var number = source switch
        {
            CardInput card => card.Number,
            SavedPaymentMethod saved => TestPaymentMethods[saved.ProviderMethodRef],
            _ => TestPaymentMethods[((ProviderPaymentMethod)source).Id],
        };
        return Task.FromResult(Answer(SandboxPaymentBehaviour.OnCharge(number), reference, PaymentCard.BrandOf(number).ProviderName(), number[^4..]));
    }

    private static ChargeOutcome Answer(SandboxCardOutcome outcome, string reference, string? brand, string? last4)
    {
        return outcome.Status switch
        {
            SandboxPaymentStatus.Succeeded => new ChargeOutcome(ChargeStatus.Succeeded, reference, null, null, brand, last4),
            SandboxPaymentStatus.RequiresAction => new ChargeOutcome(ChargeStatus.RequiresAction, reference, outcome.Code, null, brand, last4),
            _ => new ChargeOutcome(ChargeStatus.Failed, reference, outcome.Code, outcome.DeclineCode, brand, last4),
        };
    }

    public Task<ChargeOutcome> ConfirmAsync(string providerRef, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        if (!string.Equals(providerRef, Reference(key), StringComparison.Ordinal))
        {
            throw new InvariantViolationException($"Sandbox reference {providerRef} was not issued for this payment.");
        }

        return Task.FromResult(new ChargeOutcome(ChargeStatus.Succeeded, providerRef, null, null));
    }

    /// <summary>Succeeds, with a reference derived from the key (so a retry gets the same one), for a payment the sandbox made.</summary>
    public Task<RefundOutcome> RefundAsync(string providerRef, Money amount, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        if (amount.Amount <= 0m || !providerRef.StartsWith("pi_sandbox_", StringComparison.Ordinal))
        {
            throw new InvariantViolationException($"The sandbox cannot refund {amount} of {providerRef}.");
        }

        return Task.FromResult(new RefundOutcome(RefundStatus.Succeeded, "re_sandbox_" + Hash(key), null));
    }

    // "pi_sandbox_" and 24 hex characters of the key's hash: Stripe's PaymentIntent id shape.
    private static string Reference(PaymentIdempotencyKey key) =>
        "pi_sandbox_" + Hash(key.Value);

    private static string Hash(PaymentIdempotencyKey key) => Hash(key.Value);
}
