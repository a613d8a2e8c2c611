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
    /// <summary>Every field's problem; the card as read (digits only) when it is valid and present.</summary>
    public static (List<FieldError> Errors, CardInput? Card) Check(PurchaseRequest request, LocalDate todayUtc)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.PlanId))
        {
            errors.Add(new FieldError("plan_id", "plan_id is required"));
        }

        if (request.Card is not { } card)
        {
            return (errors, null);
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

        return errors.Count == 0 && digits is not null
            ? (errors, new CardInput(digits, card.ExpMonth!.Value, card.ExpYear!.Value))
            : (errors, null);
    }

    /// <summary>
    /// What a retry under the same Idempotency-Key must repeat: the plan and the card's last four and
    /// expiry. Not the full number: a hash of a card number is card data too, and is never stored.
    /// </summary>
    public static string Hash(string planId, CardInput? card)
    {
        var text = card is null ? planId : $"{planId}\n{card.Number[^4..]}\n{card.ExpiryMonth}/{card.ExpiryYear}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static PaymentResponse Response(StoredPayment p) => new(
        p.PaymentId, StoredPayment.StatusName(p.Status), p.Purpose, p.PlanId, p.Amount.Amount, p.Amount.Currency.Code, p.Provider, p.ProviderRef,
        p.CardBrand, p.CardLast4, p.FailureCode, p.DeclineCode,
        p.Status == StoredPaymentStatus.RequiresAction ? new PaymentNextActionResponse("confirm", $"/api/v1/billing/payments/{p.PaymentId}/confirm") : null,
        p.CreatedAt, p.UpdatedAt, p.GrantedAt);
}
