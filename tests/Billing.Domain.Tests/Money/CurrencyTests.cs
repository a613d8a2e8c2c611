namespace Billing.Domain.Tests;

public class CurrencyTests
{
    [Theory]
    [InlineData("eur", "EUR")]
    [InlineData("Usd", "USD")]
    [InlineData(" jpy ", "JPY")]
    [InlineData("KWD", "KWD")]
    public void Parse_normalises_case_and_surrounding_whitespace(string input, string expectedCode)
    {
        Assert.Equal(expectedCode, Currency.Parse(input).Code);
    }

    [Fact]
    public void Parse_returns_the_same_value_as_the_named_currency()
    {
        Assert.Equal(Currency.EUR, Currency.Parse("eur"));
    }

    [Fact]
    public void Parse_rejects_an_unknown_code_naming_it_and_the_supported_codes()
    {
        var error = Assert.Throws<FormatException>(() => Currency.Parse("xyz"));

        Assert.Contains("'xyz'", error.Message, StringComparison.Ordinal);
        Assert.Contains("EUR", error.Message, StringComparison.Ordinal);
        Assert.Contains("KWD", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("EURO")]
    [InlineData("BTC")]
    public void TryParse_returns_false_for_missing_or_unknown_codes(string? input)
    {
        Assert.False(Currency.TryParse(input, out var currency));
        Assert.Equal(default, currency);
    }

    [Theory]
    [InlineData("EUR", 2)]
    [InlineData("USD", 2)]
    [InlineData("GBP", 2)]
    [InlineData("JPY", 0)]
    [InlineData("CHF", 2)]
    [InlineData("SEK", 2)]
    [InlineData("NOK", 2)]
    [InlineData("DKK", 2)]
    [InlineData("PLN", 2)]
    [InlineData("CZK", 2)]
    [InlineData("HUF", 2)]
    [InlineData("AUD", 2)]
    [InlineData("CAD", 2)]
    [InlineData("NZD", 2)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    public void Each_supported_currency_has_its_ISO_4217_minor_unit_digits(string code, int expectedDigits)
    {
        Assert.Equal(expectedDigits, Currency.Parse(code).MinorUnitDigits);
    }

    [Fact]
    public void Exactly_the_sixteen_listed_currencies_are_supported_in_code_order()
    {
        Assert.Equal(
            "AUD BHD CAD CHF CZK DKK EUR GBP HUF JPY KWD NOK NZD PLN SEK USD",
            string.Join(" ", Currency.Supported));
    }

    [Fact]
    public void Minor_unit_is_one_coin_of_the_currency()
    {
        Assert.Equal(0.01m, Currency.EUR.MinorUnit);
        Assert.Equal(1m, Currency.JPY.MinorUnit);
        Assert.Equal(0.001m, Currency.KWD.MinorUnit);
    }

    [Fact]
    public void Default_currency_cannot_be_used_for_money()
    {
        Assert.Throws<ArgumentException>(() => new Money(1m, default));
        Assert.Throws<ArgumentException>(() => RoundingPolicy.Default.Round(1.005m, default));
    }
}
