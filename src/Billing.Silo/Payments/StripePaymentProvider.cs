using System.Globalization;
using System.Net;
using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Payments.Methods;
using Microsoft.Extensions.Options;
using Stripe;

namespace Billing.Silo.Payments;

/// <summary>
/// Stripe through Stripe.net: a charge is a PaymentIntent created and confirmed in one call with
/// the payment method the client got from Stripe.js (card numbers never reach this server), under
/// our idempotency key, so a retry gets the first PaymentIntent back. A decline is Stripe's 402
/// card error; anything else that is not an answer (network, 5xx, a status we cannot read) leaves
/// the payment pending for a retry with the same key.
/// </summary>
public sealed partial class StripePaymentProvider(IOptions<PaymentOptions> options) : IPaymentProvider
{
    /// <summary>The PaymentIntent's metadata key that names our payment (through its idempotency key), for webhooks.</summary>
    public const string IdempotencyMetadataKey = "billing_idempotency_key";

    private readonly StripeClient client = new(new StripeClientOptions
    {
        ApiKey = options.Value.Stripe.SecretKey,
        ApiBase = options.Value.Stripe.ApiBase,
        HttpClient = new SystemNetHttpClient(
            new HttpClient { Timeout = TimeSpan.FromSeconds(options.Value.Stripe.TimeoutSeconds) }, options.Value.Stripe.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
    });

    private PaymentIntentService Intents => new(client);

    public string Name => PaymentOptions.StripeProvider;

    public string? Refusal(PaymentSource source) => source switch
    {
        ProviderPaymentMethod or SavedPaymentMethod or SepaDebitInput => null,
        CardInput => "with Stripe, send payment_method_id (a pm_… id from Stripe.js); card numbers are not accepted here",
        _ => throw new InvariantViolationException($"Unknown payment source {source.GetType().Name}."),
    };

    public async Task<ChargeOutcome> ChargeAsync(Money amount, PaymentSource source, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        if (source is SavedPaymentMethod saved && amount.Amount > 0m)
        {
            return await ChargeSavedAsync(amount, saved, key, cancellationToken);
        }

        if (source is not ProviderPaymentMethod method || amount.Amount <= 0m)
        {
            throw new InvariantViolationException($"Stripe cannot charge {amount} to {source}.");
        }

        var create = new PaymentIntentCreateOptions
        {
            Amount = amount.ToMinorUnits(),
            Currency = amount.Currency.Code.ToLowerInvariant(),
            PaymentMethod = method.Id,
            Confirm = true,
            AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
            Metadata = new Dictionary<string, string> { [IdempotencyMetadataKey] = key.Value },
        };
        return await AskAsync(() => Intents.CreateAsync(create, new RequestOptions { IdempotencyKey = key.Value }, cancellationToken));
    }

    public Task<ChargeOutcome> ConfirmAsync(string providerRef, PaymentIdempotencyKey key, CancellationToken cancellationToken) =>
        AskAsync(() => Intents.GetAsync(providerRef, null, null, cancellationToken));

    /// <summary>A Refund of the PaymentIntent under our key: a retry gets the first refund back, as a charge does.</summary>
    public async Task<RefundOutcome> RefundAsync(string providerRef, Money amount, PaymentIdempotencyKey key, CancellationToken cancellationToken)
    {
        if (amount.Amount <= 0m)
        {
            throw new InvariantViolationException($"Stripe cannot refund {amount} of {providerRef}.");
        }

        var create = new RefundCreateOptions
        {
            PaymentIntent = providerRef,
            Amount = amount.ToMinorUnits(),
            Metadata = new Dictionary<string, string> { [IdempotencyMetadataKey] = key.Value },
        };
        try
        {
            var refund = await new RefundService(client).CreateAsync(create, new RequestOptions { IdempotencyKey = key.Value }, cancellationToken);
            return refund.Status switch
            {
                "succeeded" => new RefundOutcome(RefundStatus.Succeeded, refund.Id, null),
                "pending" or "requires_action" => new RefundOutcome(RefundStatus.Pending, refund.Id, null),
                _ => new RefundOutcome(RefundStatus.Failed, refund.Id, refund.FailureReason ?? refund.Status),
            };
        }
        catch (StripeException error) when (error.HttpStatusCode == HttpStatusCode.BadRequest && error.StripeError is { Type: "invalid_request_error" } refused)
        {
            // Stripe refused this refund for good (already refunded, amount too large, charge disputed): retrying changes nothing.
            return new RefundOutcome(RefundStatus.Failed, null, refused.Code ?? "refund_refused");
        }
        catch (Exception error) when (error is StripeException or HttpRequestException)
        {
            throw new PaymentProviderException($"Stripe did not take the refund of {providerRef}: {error.Message}", error);
        }
    }

    private static Task<ChargeOutcome> AskAsync(Func<Task<PaymentIntent>> call) => AskStripeAsync(call, OutcomeOf, error => new ChargeOutcome(ChargeStatus.Failed, error.PaymentIntent?.Id, error.Code ?? "card_declined", error.DeclineCode));

    /// <summary>Stripe's answer read by <paramref name="read"/>; a card error (402) is a refusal, anything else that is not an answer a <see cref="PaymentProviderException"/>.</summary>
    private static async Task<TOutcome> AskStripeAsync<TAnswer, TOutcome>(Func<Task<TAnswer>> call, Func<TAnswer, TOutcome> read, Func<StripeError, TOutcome> refused)
    {
        try
        {
            return read(await call());
        }
        catch (StripeException error) when (error.HttpStatusCode == HttpStatusCode.PaymentRequired && error.StripeError is { Type: "card_error" } card)
        {
            return refused(card);
        }
        catch (StripeException error)
        {
            throw new PaymentProviderException(string.Create(CultureInfo.InvariantCulture, $"Stripe answered {(int)error.HttpStatusCode}: {error.StripeError?.Code ?? error.Message}"), error);
        }
        catch (HttpRequestException error)
        {
            throw new PaymentProviderException($"Stripe could not be reached: {error.Message}", error);
        }
    }

    /// <summary>Where a PaymentIntent stands; <see cref="PaymentProviderException"/> for a status a card charge does not stay in.</summary>
    public static ChargeOutcome OutcomeOf(PaymentIntent intent) => intent.Status switch
    {
        "succeeded" => new ChargeOutcome(ChargeStatus.Succeeded, intent.Id, null, null),
        // A SEPA debit is confirmed days later; the payment stays pending until Stripe says.
        "processing" => new ChargeOutcome(ChargeStatus.Processing, intent.Id, null, null),
        "requires_action" => new ChargeOutcome(ChargeStatus.RequiresAction, intent.Id, "authentication_required", null),
        // Confirmed, declined, and waiting for another method: Stripe's last error says why.
        "requires_payment_method" => new ChargeOutcome(ChargeStatus.Failed, intent.Id, intent.LastPaymentError?.Code ?? "card_declined", intent.LastPaymentError?.DeclineCode),
        _ => throw new PaymentProviderException($"PaymentIntent {intent.Id} is {intent.Status}, which a card charge does not stay in."),
    };
}
