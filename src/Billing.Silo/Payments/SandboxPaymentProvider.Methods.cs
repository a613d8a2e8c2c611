using System.Security.Cryptography;
using System.Text;
using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Payments.Methods;

namespace Billing.Silo.Payments;

/// <summary>
/// Saved methods in the sandbox, which keeps nothing: a saved card is the Stripe test payment
/// method of its test number (so <c>pm_card_chargeCustomerFail</c> attaches and then declines, as
/// 4000 0000 0000 0341 does at Stripe), and a saved SEPA mandate names one of the published test IBANs.
/// </summary>
public sealed partial class SandboxPaymentProvider : IPaymentMethodVault
{
    private const string SepaMethodPrefix = "pm_sandbox_sepa_";

    public Task<SavedMethodOutcome> SaveMethodAsync(MethodSetup setup, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        var customerRef = setup.ProviderCustomerRef ?? "cus_sandbox_" + Hash(setup.CustomerId);
        return Task.FromResult(setup.Source switch
        {
            SepaDebitInput sepa => SaveMandate(customerRef, sepa, key),
            CardInput card => SaveCard(customerRef, card.Number, card.ExpiryMonth, card.ExpiryYear),
            ProviderPaymentMethod { Id: var id } when TestPaymentMethods.TryGetValue(id, out var number) => SaveCard(customerRef, number, 12, TestExpiryYear),
            var other => throw new InvariantViolationException($"The sandbox cannot save {other}: {Refusal(other)}."),
        });
    }

    // Stripe's test payment methods carry an expiry in the coming years; any such year does here.
    private const int TestExpiryYear = 2034;

    private static SavedMethodOutcome SaveCard(string customerRef, string number, int expiryMonth, int expiryYear)
    {
        var attach = SandboxPaymentBehaviour.OnAttach(number);
        if (attach.Status != SandboxPaymentStatus.Succeeded)
        {
            return SavedMethodOutcome.Refused(PaymentMethodKind.Card, attach.Code ?? SandboxCardOutcome.CardDeclined, attach.DeclineCode);
        }

        // Only test cards attach, and each has its test payment method.
        return new SavedMethodOutcome(
            customerRef, TestPaymentMethodsByNumber[number], PaymentMethodKind.Card, PaymentCard.BrandOf(number).ProviderName(), number[^4..], expiryMonth, expiryYear, null);
    }

    private static SavedMethodOutcome SaveMandate(string customerRef, SepaDebitInput sepa, PaymentIdempotencyKey key)
    {
        // Only the published test IBANs are accepted, as Stripe's test mode does.
        var debit = SandboxPaymentBehaviour.OnSepaDebit(sepa.Iban);
        return debit.Code == SandboxPaymentBehaviour.BankAccountUnusable
            ? SavedMethodOutcome.Refused(PaymentMethodKind.SepaDebit, SandboxPaymentBehaviour.BankAccountUnusable, null)
            : new SavedMethodOutcome(
                customerRef, SepaMethodPrefix + sepa.Iban.Value, PaymentMethodKind.SepaDebit, null, sepa.Iban.Value[^4..], null, null, "mandate_sandbox_" + Hash(key.Value));
    }

    private static string? SavedRefusal(SavedPaymentMethod saved) => saved.Kind switch
    {
        PaymentMethodKind.Card when TestPaymentMethods.ContainsKey(saved.ProviderMethodRef) => null,
        PaymentMethodKind.SepaDebit when saved.ProviderMethodRef.StartsWith(SepaMethodPrefix, StringComparison.Ordinal) => null,
        _ => $"{saved.ProviderMethodRef} was not saved by the sandbox",
    };

    private static Iban MandateIban(SavedPaymentMethod mandate) => Iban.Parse(mandate.ProviderMethodRef[SepaMethodPrefix.Length..]);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
}
