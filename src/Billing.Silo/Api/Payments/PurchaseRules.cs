using System.Security.Cryptography;
using System.Text;
using Billing.Contracts.Payments;
using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Payments;
using NodaTime;

namespace Billing.Silo.Api.Payments;

/// <summary>What a purchase request must satisfy, and how payments are written back to the client.</summary>
internal static class PurchaseRules
{
    public const string CardMethod = "card";
    public const string PayPalMethod = "paypal";

    /// <summary>Every field's problem; what pays (a card read to its digits, or a payment method id) when it is valid and present.</summary>
    public static (List<FieldError> Errors, PaymentSource? Source) Check(PurchaseRequest request, LocalDate todayUtc)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.PlanId))
        {
            errors.Add(new FieldError("plan_id", "plan_id is required"));
        }

        if (request.PaymentMethod is not (null or CardMethod or PayPalMethod))
        {
            errors.Add(new FieldError("payment_method", $"payment_method must be \"{CardMethod}\" (the default) or \"{PayPalMethod}\""));
        }
        else if (request.PaymentMethod == PayPalMethod)
        {
            if (request.Card is not null || request.PaymentMethodId is not null)
            {
                errors.Add(new FieldError("payment_method", $"with payment_method \"{PayPalMethod}\" send neither card nor payment_method_id: the buyer pays on PayPal's pages"));
            }

            return (errors, errors.Count == 0 ? PayPalCheckout.Instance : null);
        }

        return (errors, SourceOf(request.Card, request.PaymentMethodId, errors, todayUtc));
    }

    /// <summary>A card read to its digits, or a payment method id, when valid and present; problems go to <paramref name="errors"/>.</summary>
    public static PaymentSource? SourceOf(PaymentCardRequest? requestCard, string? paymentMethodId, List<FieldError> errors, LocalDate todayUtc)
    {
        if (paymentMethodId is { } methodId)
        {
            if (requestCard is not null)
            {
                errors.Add(new FieldError("payment_method_id", "send either card or payment_method_id, not both"));
            }
            else if (!IsPaymentMethodId(methodId))
            {
                errors.Add(new FieldError("payment_method_id", $"payment_method_id must be pm_ followed by up to {ProviderPaymentMethod.MaxIdLength - 3} letters, digits or underscores"));
            }

            return errors.Count == 0 ? new ProviderPaymentMethod(methodId) : null;
        }

        if (requestCard is not { } card)
        {
            return null;
        }

        if (!PaymentCard.TryReadNumber(card.Number, out var digits, out var numberError))
        {
            errors.Add(new FieldError("card.number", numberError));
        }

        if (card.ExpMonth is not { } month || card.ExpYear is not { } year)
        {
            errors.Add(new FieldError("card.exp_month", "card.exp_month and card.exp_year are required"));
        }
        else if (!PaymentCard.TryCheckExpiry(month, year, todayUtc, out var expiryError))
        {
            errors.Add(new FieldError("card.exp_year", expiryError));
        }

        if (card.Cvc is { } cvc && (cvc.Length is < 3 or > 4 || !cvc.All(char.IsAsciiDigit)))
        {
            errors.Add(new FieldError("card.cvc", "card.cvc must be 3 or 4 digits"));
        }

        return errors.Count == 0 && digits is not null ? new CardInput(digits, card.ExpMonth!.Value, card.ExpYear!.Value) : null;
    }

    /// <summary>
    /// What a retry under the same Idempotency-Key must repeat: the plan and the card's last four and
    /// expiry. Not the full number: a hash of a card number is card data too, and is never stored.
    /// </summary>
    public static string Hash(string planId, PaymentSource? source)
    {
        var text = source switch
        {
            CardInput card => $"{planId}\ncard\n{card.Number[^4..]}\n{card.ExpiryMonth}/{card.ExpiryYear}",
            ProviderPaymentMethod method => $"{planId}\nmethod\n{method.Id}",
            PayPalCheckout => $"{planId}\npaypal",
            _ => planId,
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static bool IsPaymentMethodId(string id) =>
        id.Length is > 3 and <= ProviderPaymentMethod.MaxIdLength && id.StartsWith("pm_", StringComparison.Ordinal) && id.Skip(3).All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static PaymentResponse Response(StoredPayment p) => new(
        p.PaymentId, StoredPayment.StatusName(p.Status), p.Purpose, p.PlanId, p.Amount.Amount, p.Amount.Currency.Code, p.Provider, p.ProviderRef,
        p.CardBrand, p.CardLast4, p.FailureCode, p.DeclineCode,
        p.Status == StoredPaymentStatus.RequiresAction ? NextAction(p) : null,
        p.CreatedAt, p.UpdatedAt, p.GrantedAt, p.InvoiceId);

    // A provider with a page of its own (PayPal) sends the buyer there; a card's 3-D Secure is finished by the client, then confirmed.
    private static PaymentNextActionResponse NextAction(StoredPayment p)
    {
        var confirmUrl = $"/api/v1/billing/payments/{p.PaymentId}/confirm";
        return p.NextActionUrl is { } url ? new PaymentNextActionResponse("redirect_to_url", confirmUrl, url) : new PaymentNextActionResponse("confirm", confirmUrl);
    }
}
