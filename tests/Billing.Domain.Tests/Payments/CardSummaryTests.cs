using Billing.Domain.Payments;
using NodaTime;

namespace Billing.Domain.Tests.Payments;

public sealed class CardSummaryTests
{
    [Fact]
    public void A_summary_keeps_brand_last_four_and_expiry_and_drops_the_number()
    {
        var summary = CardSummary.FromNumber("4242 4242 4242 4242", 12, 2034);

        Assert.Equal(new CardSummary(CardBrand.Visa, "4242", 12, 2034), summary);
        Assert.Equal("visa •••• 4242, expires 12/2034", summary.ToString());
        Assert.Equal(new LocalDate(2034, 12, 31), summary.LastValidDay);
    }

    [Fact]
    public void No_property_of_a_summary_holds_more_than_the_last_four_digits()
    {
        var summary = CardSummary.FromNumber("378282246310005", 3, 2030);

        Assert.Equal(CardBrand.Amex, summary.Brand);
        Assert.Equal("0005", summary.Last4);
        var texts = typeof(CardSummary).GetProperties()
            .Where(property => property.PropertyType == typeof(string))
            .Select(property => (string?)property.GetValue(summary));
        Assert.All(texts, text => Assert.DoesNotContain("3782822463", text ?? string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void A_malformed_number_gives_no_summary()
    {
        var error = Assert.Throws<FormatException>(() => CardSummary.FromNumber("4242424242424241", 12, 2034));

        Assert.Equal("card number is mistyped: its check digit does not match", error.Message);
    }

    [Theory]
    [InlineData(2028, 2, 29, false)]
    [InlineData(2028, 3, 1, true)]
    [InlineData(2027, 12, 31, false)]
    public void A_card_expires_the_day_after_the_end_of_its_expiry_month(int year, int month, int day, bool expired)
    {
        var summary = new CardSummary(CardBrand.Mastercard, "4444", 2, 2028);

        Assert.Equal(new LocalDate(2028, 2, 29), summary.LastValidDay);
        Assert.Equal(expired, summary.IsExpiredOn(new LocalDate(year, month, day)));
    }

    [Theory]
    [InlineData("424", 12, 2034)]
    [InlineData("42424", 12, 2034)]
    [InlineData("42a2", 12, 2034)]
    [InlineData("4242", 0, 2034)]
    [InlineData("4242", 13, 2034)]
    [InlineData("4242", 12, 1999)]
    [InlineData("4242", 12, 2200)]
    public void Impossible_summaries_cannot_be_built(string last4, int month, int year)
    {
        Assert.ThrowsAny<ArgumentException>(() => new CardSummary(CardBrand.Visa, last4, month, year));
    }

    [Fact]
    public void An_undefined_brand_cannot_be_built()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CardSummary((CardBrand)42, "4242", 12, 2034));
        Assert.Throws<InvariantViolationException>(() => ((CardBrand)42).ProviderName());
    }
}
