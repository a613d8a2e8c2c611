namespace Billing.Domain.Payments;

/// <summary>The card network, told from the number's first digits (its issuer identification number).</summary>
public enum CardBrand
{
    /// <summary>A number of no network recognised here; it may still be a valid card.</summary>
    Unknown,
    Visa,
    Mastercard,
    Amex,
    Discover,
    Diners,
    Jcb,
}

public static class CardBrandNames
{
    /// <summary>The brand as Stripe spells it in <c>card.brand</c>: "visa", "mastercard", "amex", … "unknown".</summary>
    public static string ProviderName(this CardBrand brand) => brand switch
    {
        CardBrand.Visa => "visa",
        CardBrand.Mastercard => "mastercard",
        CardBrand.Amex => "amex",
        CardBrand.Discover => "discover",
        CardBrand.Diners => "diners",
        CardBrand.Jcb => "jcb",
        CardBrand.Unknown => "unknown",
        _ => throw new InvariantViolationException($"Card brand {(int)brand} is not a CardBrand member."),
    };
}
