using NodaTime;

namespace Billing.Domain.Payments;

/// <summary>
/// All that is kept of a card besides the provider's payment-method id: its brand, last four
/// digits and expiry, enough to show "visa •••• 4242, expires 12/2034" and to warn before it
/// expires. There is deliberately no field for the full number: it goes straight to the provider
/// and is never stored, logged or passed between services here.
/// </summary>
public readonly record struct CardSummary
{
    public const int MinExpiryYear = 2000;
    public const int MaxExpiryYear = 2199;
    public const int Last4Length = 4;

    public CardSummary(CardBrand brand, string last4, int expiryMonth, int expiryYear)
    {
        ArgumentNullException.ThrowIfNull(last4);
        if (!Enum.IsDefined(brand))
        {
            throw new ArgumentOutOfRangeException(nameof(brand), brand, "Not a CardBrand member.");
        }

        if (last4.Length != Last4Length || last4.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException($"The last four digits must be exactly {Last4Length} digits (got {last4.Length} characters).", nameof(last4));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(expiryMonth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(expiryMonth, 12);
        ArgumentOutOfRangeException.ThrowIfLessThan(expiryYear, MinExpiryYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(expiryYear, MaxExpiryYear);
        Brand = brand;
        Last4 = last4;
        ExpiryMonth = expiryMonth;
        ExpiryYear = expiryYear;
    }

    public CardBrand Brand { get; }

    public string Last4 { get; }

    public int ExpiryMonth { get; }

    public int ExpiryYear { get; }

    /// <summary>The last day the card can be charged: the end of its expiry month (ISO calendar).</summary>
    public LocalDate LastValidDay => LastValidDayOf(ExpiryMonth, ExpiryYear);

    /// <summary>
    /// The summary of a number on its way to the provider: brand and last four digits are taken and
    /// the number itself is dropped. Throws <see cref="FormatException"/> for a number
    /// <see cref="PaymentCard.TryReadNumber"/> rejects; the expiry is not judged against a date here.
    /// </summary>
    public static CardSummary FromNumber(string cardNumber, int expiryMonth, int expiryYear)
    {
        if (!PaymentCard.TryReadNumber(cardNumber, out var digits, out var reason))
        {
            throw new FormatException(reason);
        }

        return new CardSummary(PaymentCard.BrandOf(digits), digits[^Last4Length..], expiryMonth, expiryYear);
    }

    /// <summary>True from the day after <see cref="LastValidDay"/> on.</summary>
    public bool IsExpiredOn(LocalDate today) => today.WithCalendar(CalendarSystem.Iso) > LastValidDay;

    public override string ToString() =>
        Last4 is null ? "(no card)" : $"{Brand.ProviderName()} •••• {Last4}, expires {ExpiryMonth:D2}/{ExpiryYear}";

    internal static LocalDate LastValidDayOf(int month, int year) =>
        new LocalDate(year, month, 1).PlusMonths(1).PlusDays(-1);
}
