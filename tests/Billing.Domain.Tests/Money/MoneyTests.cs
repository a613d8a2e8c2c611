namespace Billing.Domain.Tests;

public class MoneyTests
{
    private static Money Eur(decimal amount) => new(amount, Currency.EUR);

    private static Money Usd(decimal amount) => new(amount, Currency.USD);

    [Fact]
    public void Adding_and_subtracting_same_currency_is_exact()
    {
        Assert.Equal(Eur(3.35m), Eur(1.10m) + Eur(2.25m));
        Assert.Equal(Eur(-1.15m), Eur(1.10m) - Eur(2.25m));
    }

    [Fact]
    public void Adding_different_currencies_throws_naming_both()
    {
        var error = Assert.Throws<CurrencyMismatchException>(() => Eur(1m) + Usd(1m));

        Assert.Equal(Currency.EUR, error.Left);
        Assert.Equal(Currency.USD, error.Right);
        Assert.Equal("Cannot add EUR and USD: amounts must be in the same currency.", error.Message);
    }

    [Fact]
    public void Subtracting_and_comparing_different_currencies_throw()
    {
        Assert.Throws<CurrencyMismatchException>(() => Eur(1m) - Usd(1m));
        Assert.Throws<CurrencyMismatchException>(() => Eur(1m) < Usd(2m));
        Assert.Throws<CurrencyMismatchException>(() => Eur(1m).CompareTo(Usd(2m)));
    }

    [Fact]
    public void Comparison_operators_order_amounts_of_one_currency()
    {
        Assert.True(Eur(1.99m) < Eur(2m));
        Assert.True(Eur(2m) > Eur(-5m));
        Assert.True(Eur(2m) <= Eur(2.00m));
        Assert.True(Eur(2m) >= Eur(2m));
        Assert.False(Eur(2.01m) <= Eur(2m));
    }

    [Fact]
    public void Equality_ignores_trailing_zeros_but_not_currency()
    {
        Assert.Equal(Eur(1.5m), Eur(1.50m));
        Assert.Equal(Eur(1.5m).GetHashCode(), Eur(1.50m).GetHashCode());
        Assert.NotEqual(Eur(1.5m), Usd(1.5m));
    }

    [Fact]
    public void Multiplying_a_unit_price_keeps_sub_minor_precision_until_rounded()
    {
        var charge = Eur(0.0005m) * 1_234m;

        Assert.Equal(0.617m, charge.Amount);
        Assert.False(charge.IsRounded);
        Assert.Equal(Eur(0.62m), charge.RoundTo(RoundingPolicy.Default));
        Assert.True(charge.RoundTo(RoundingPolicy.Default).IsRounded);
        Assert.Equal(Eur(3m), 2m * Eur(1.5m));
    }

    [Fact]
    public void Negate_flips_the_sign()
    {
        Assert.Equal(Eur(-12.34m), Eur(12.34m).Negate());
        Assert.Equal(Eur(12.34m), -Eur(-12.34m));
        Assert.True(Eur(-0.01m).IsNegative);
        Assert.True(Money.Zero(Currency.EUR).IsZero);
    }

    [Fact]
    public void Sum_adds_amounts_of_the_requested_currency()
    {
        Assert.Equal(Eur(6.06m), Money.Sum([Eur(1.01m), Eur(2.02m), Eur(3.03m)], Currency.EUR));
        Assert.Equal(Money.Zero(Currency.JPY), Money.Sum([], Currency.JPY));
    }

    [Fact]
    public void Sum_throws_when_an_amount_is_in_another_currency()
    {
        Assert.Throws<CurrencyMismatchException>(() => Money.Sum([Eur(1m), Usd(1m)], Currency.EUR));
        Assert.Throws<CurrencyMismatchException>(() => Money.Sum([Usd(1m)], Currency.EUR));
    }

    [Theory]
    [InlineData(1234L, "EUR", "EUR 12.34")]
    [InlineData(1230L, "EUR", "EUR 12.30")]
    [InlineData(-5L, "USD", "USD -0.05")]
    [InlineData(1234L, "JPY", "JPY 1234")]
    [InlineData(1234L, "KWD", "KWD 1.234")]
    public void FromMinorUnits_scales_by_the_currency_exponent(long minorUnits, string code, string expected)
    {
        var money = Money.FromMinorUnits(minorUnits, Currency.Parse(code));

        Assert.Equal(expected, money.ToString());
        Assert.Equal(minorUnits, money.ToMinorUnits());
    }

    [Fact]
    public void Minor_units_round_trip_at_the_extremes_of_long()
    {
        Assert.Equal(long.MaxValue, Money.FromMinorUnits(long.MaxValue, Currency.KWD).ToMinorUnits());
        Assert.Equal(long.MinValue, Money.FromMinorUnits(long.MinValue, Currency.BHD).ToMinorUnits());
    }

    [Fact]
    public void ToMinorUnits_refuses_an_unrounded_amount()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Eur(0.0005m).ToMinorUnits());

        Assert.Contains("EUR 0.0005", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMinorUnits_throws_overflow_when_the_count_does_not_fit_a_long()
    {
        Assert.Throws<OverflowException>(() => new Money(10_000_000_000_000_000_000m, Currency.JPY).ToMinorUnits());
        Assert.Throws<OverflowException>(() => new Money(decimal.MaxValue, Currency.KWD).ToMinorUnits());
    }

    [Fact]
    public void Arithmetic_overflow_throws_with_the_expression_in_the_message()
    {
        var error = Assert.Throws<OverflowException>(() => Eur(decimal.MaxValue) + Eur(1m));
        Assert.Contains("EUR 79228162514264337593543950335.00 + EUR 1.00", error.Message, StringComparison.Ordinal);

        Assert.Throws<OverflowException>(() => Eur(decimal.MinValue) - Eur(1m));
        Assert.Throws<OverflowException>(() => Eur(decimal.MaxValue) * 2m);
    }

    [Theory]
    [InlineData("12.34", "EUR", "EUR 12.34")]
    [InlineData("12.3400", "EUR", "EUR 12.34")]
    [InlineData("12", "EUR", "EUR 12.00")]
    [InlineData("-12.3", "EUR", "EUR -12.30")]
    [InlineData("0.0005", "EUR", "EUR 0.0005")]
    [InlineData("0.00050", "EUR", "EUR 0.0005")]
    [InlineData("1234", "JPY", "JPY 1234")]
    [InlineData("1234.5", "JPY", "JPY 1234.5")]
    [InlineData("1.5", "KWD", "KWD 1.500")]
    public void ToString_shows_the_currency_minor_digits_and_any_real_sub_minor_digits(
        string amount, string code, string expected)
    {
        var money = new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Currency.Parse(code));

        Assert.Equal(expected, money.ToString());
    }
}
