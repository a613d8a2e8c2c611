using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Payments.Methods;
using Stripe;

namespace Billing.Silo.Payments;

/// <summary>
/// Saved methods at Stripe: the customer is created once (under an idempotency key derived from
/// our customer), a card's PaymentMethod from Stripe.js is attached to it, and a SEPA mandate is a
/// sepa_debit PaymentMethod confirmed through a SetupIntent with offline acceptance. Invoices and
/// renewals are then charged off-session: Stripe declines with authentication_required when the
/// bank wants the customer present.
/// </summary>
public sealed partial class StripePaymentProvider : IPaymentMethodVault
{
    public async Task<SavedMethodOutcome> SaveMethodAsync(MethodSetup setup, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        var customerRef = setup.ProviderCustomerRef ?? await AskStripeAsync(
            () => new CustomerService(client).CreateAsync(
                new CustomerCreateOptions { Email = setup.Email, Metadata = new Dictionary<string, string> { ["billing_customer_id"] = setup.CustomerId } },
                new RequestOptions { IdempotencyKey = PaymentIdempotencyKey.Create("customer", setup.CustomerId, 1).Value },
                cancellationToken),
            customer => customer.Id,
            error => throw new PaymentProviderException($"Stripe refused to create the customer: {error.Code}"));
        return setup.Source switch
        {
            ProviderPaymentMethod card => await AskStripeAsync(
                () => new PaymentMethodService(client).AttachAsync(card.Id, new PaymentMethodAttachOptions { Customer = customerRef }, null, cancellationToken),
                method => Saved(customerRef, method, mandateRef: null),
                error => SavedMethodOutcome.Refused(PaymentMethodKind.Card, error.Code ?? "card_declined", error.DeclineCode)),
            SepaDebitInput sepa => await SaveMandateAsync(customerRef, setup.Email, sepa, key, cancellationToken),
            var other => throw new InvariantViolationException($"Stripe cannot save {other}: {Refusal(other)}."),
        };
    }

    private async Task<SavedMethodOutcome> SaveMandateAsync(string customerRef, string email, SepaDebitInput sepa, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        var setup = new SetupIntentCreateOptions
        {
            Customer = customerRef,
            Confirm = true,
            Usage = "off_session",
            AllowedPaymentMethodTypes = ["sepa_debit"],
            PaymentMethodData = new SetupIntentPaymentMethodDataOptions
            {
                Type = "sepa_debit",
                SepaDebit = new SetupIntentPaymentMethodDataSepaDebitOptions { Iban = sepa.Iban.Value },
                BillingDetails = new SetupIntentPaymentMethodDataBillingDetailsOptions { Name = sepa.AccountHolder, Email = email },
            },
            MandateData = new SetupIntentMandateDataOptions
            {
                CustomerAcceptance = new SetupIntentMandateDataCustomerAcceptanceOptions { Type = "offline" },
            },
        };
        var intent = await AskStripeAsync(
            () => new SetupIntentService(client).CreateAsync(setup, new RequestOptions { IdempotencyKey = key.Value }, cancellationToken),
            answer => answer,
            error => throw new PaymentProviderException($"Stripe refused the SEPA mandate: {error.Code}"));
        if (intent.Status != "succeeded" || intent.PaymentMethodId is null)
        {
            return SavedMethodOutcome.Refused(PaymentMethodKind.SepaDebit, intent.LastSetupError?.Code ?? "bank_account_unusable", null);
        }

        return new SavedMethodOutcome(customerRef, intent.PaymentMethodId, PaymentMethodKind.SepaDebit, null, sepa.Iban.Value[^4..], null, null, intent.MandateId);
    }

    private Task<ChargeOutcome> ChargeSavedAsync(Money amount, SavedPaymentMethod saved, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        var create = new PaymentIntentCreateOptions
        {
            Amount = amount.ToMinorUnits(),
            Currency = amount.Currency.Code.ToLowerInvariant(),
            Customer = saved.ProviderCustomerRef,
            PaymentMethod = saved.ProviderMethodRef,
            AllowedPaymentMethodTypes = [saved.Kind == PaymentMethodKind.SepaDebit ? "sepa_debit" : "card"],
            OffSession = true,
            Confirm = true,
            Metadata = new Dictionary<string, string> { [IdempotencyMetadataKey] = key.Value },
        };
        return AskAsync(() => Intents.CreateAsync(create, new RequestOptions { IdempotencyKey = key.Value }, cancellationToken));
    }

    private static SavedMethodOutcome Saved(string customerRef, PaymentMethod method, string? mandateRef) => new(
        customerRef, method.Id, PaymentMethodKind.Card, method.Card?.Brand, method.Card?.Last4 ?? throw new PaymentProviderException($"Stripe's PaymentMethod {method.Id} has no card."),
        (int?)method.Card?.ExpMonth, (int?)method.Card?.ExpYear, mandateRef);
}
