using Billing.Domain.Payments;
using NodaTime;

namespace Billing.Domain.Tests.Payments;

public sealed class PaymentCardTests
{
    private static readonly LocalDate Today = new(2026, 12, 7);

    [Theory]
    [InlineData("4242424242424242", true)]
    [InlineData("4000000000000002", true)]
    [InlineData("5555555555554444", true)]
    [InlineData("378282246310005", true)]
    [InlineData("6011111111111117", true)]
    [InlineData("79927398713", true)]
    [InlineData("0", true)]
    [InlineData("4242424242424241", false)]
    [InlineData("4242424242424224", false)]
    [InlineData("79927398710", false)]
    [InlineData("", false)]
    [InlineData("4242 4242 4242 4242", false)]
    [InlineData("42424242424242424242", false)]
    public void Luhn_accepts_only_digits_whose_check_digit_matches(string digits, bool expected)
    {
        Assert.Equal(expected, PaymentCard.IsLuhnValid(digits));
    }

    [Theory]
    [InlineData("4242424242424242", CardBrand.Visa, "visa")]
    [InlineData("4000056655665556", CardBrand.Visa, "visa")]
    [InlineData("5555555555554444", CardBrand.Mastercard, "mastercard")]
    [InlineData("2223003122003222", CardBrand.Mastercard, "mastercard")]
    [InlineData("2720990000000007", CardBrand.Mastercard, "mastercard")]
    [InlineData("378282246310005", CardBrand.Amex, "amex")]
    [InlineData("371449635398431", CardBrand.Amex, "amex")]
    [InlineData("6011111111111117", CardBrand.Discover, "discover")]
    [InlineData("6445644564456445", CardBrand.Discover, "discover")]
    [InlineData("6500000000000002", CardBrand.Discover, "discover")]
    [InlineData("3056930009020004", CardBrand.Diners, "diners")]
    [InlineData("36227206271667", CardBrand.Diners, "diners")]
    [InlineData("3566002020360505", CardBrand.Jcb, "jcb")]
    [InlineData("2221000000000009", CardBrand.Mastercard, "mastercard")]
    [InlineData("2220990000000000", CardBrand.Unknown, "unknown")]
    [InlineData("2721000000000000", CardBrand.Unknown, "unknown")]
    [InlineData("5000000000000000", CardBrand.Unknown, "unknown")]
    [InlineData("6200000000000005", CardBrand.Unknown, "unknown")]
    [InlineData("123", CardBrand.Unknown, "unknown")]
    [InlineData("4x42", CardBrand.Unknown, "unknown")]
    public void The_brand_follows_the_issuer_prefix(string digits, CardBrand expected, string providerName)
    {
        Assert.Equal(expected, PaymentCard.BrandOf(digits));
        Assert.Equal(providerName, expected.ProviderName());
    }

    [Theory]
    [InlineData("4242 4242 4242 4242", "4242424242424242")]
    [InlineData("4242-4242-4242-4242", "4242424242424242")]
    [InlineData("3782 822463 10005", "378282246310005")]
    public void A_number_is_read_without_its_separators(string text, string expected)
    {
        Assert.True(PaymentCard.TryReadNumber(text, out var digits, out var reason));

        Assert.Null(reason);
        Assert.Equal(expected, digits);
    }

    [Theory]
    [InlineData("4242 4242 4242 4241", "card number is mistyped: its check digit does not match")]
    [InlineData("4242 4242 424x 4242", "card number may only contain digits, spaces and dashes")]
    [InlineData("42424242426", "card number must have 12 to 19 digits (got 11)")]
    [InlineData("42424242424242424242", "card number must have 12 to 19 digits (got 20)")]
    [InlineData("4242 4242 4242 4242 4242 4242 4242", "card number must be at most 32 characters (got 34)")]
    [InlineData(" ", "card number is required")]
    [InlineData(null, "card number is required")]
    public void Malformed_numbers_are_rejected_without_repeating_them(string? text, string expected)
    {
        Assert.False(PaymentCard.TryReadNumber(text, out var digits, out var reason));

        Assert.Null(digits);
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData(12, 2026)]
    [InlineData(1, 2027)]
    [InlineData(12, 2046)]
    public void A_card_is_valid_through_the_end_of_its_expiry_month(int month, int year)
    {
        Assert.True(PaymentCard.TryCheckExpiry(month, year, Today, out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData(11, 2026, "card expired at the end of 11/2026")]
    [InlineData(12, 2025, "card expired at the end of 12/2025")]
    [InlineData(0, 2027, "expiry month must be 1 to 12 (got 0)")]
    [InlineData(13, 2027, "expiry month must be 1 to 12 (got 13)")]
    [InlineData(12, 27, "expiry year must have four digits, e.g. 2026 (got 27)")]
    [InlineData(1, 2047, "expiry year must be at most 2046 (got 2047)")]
    public void Expired_and_implausible_expiries_are_rejected(int month, int year, string expected)
    {
        Assert.False(PaymentCard.TryCheckExpiry(month, year, Today, out var reason));
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void The_last_day_of_the_expiry_month_still_counts()
    {
        Assert.True(PaymentCard.TryCheckExpiry(2, 2028, new LocalDate(2028, 2, 29), out _));
        Assert.False(PaymentCard.TryCheckExpiry(2, 2028, new LocalDate(2028, 3, 1), out _));
    }
}
