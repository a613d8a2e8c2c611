using System.Globalization;

namespace Billing.Domain.Tests;

public class RoundingPolicyTests
{
    [Theory]
    [InlineData("2.345", "2.34")]
    [InlineData("2.355", "2.36")]
    [InlineData("-2.345", "-2.34")]
    [InlineData("2.3449", "2.34")]
    [InlineData("2.3451", "2.35")]
    public void HalfEven_rounds_ties_to_the_even_cent(string amount, string expected)
    {
        Assert.Equal(D(expected), RoundingPolicy.HalfEven.Round(D(amount), Currency.EUR));
    }

    [Theory]
    [InlineData("2.345", "2.35")]
    [InlineData("2.355", "2.36")]
    [InlineData("-2.345", "-2.35")]
    [InlineData("2.3449", "2.34")]
    public void HalfUp_rounds_ties_away_from_zero(string amount, string expected)
    {
        Assert.Equal(D(expected), RoundingPolicy.HalfUp.Round(D(amount), Currency.EUR));
    }

    [Theory]
    [InlineData("HalfEven", "1234.5", "1234")]
    [InlineData("HalfEven", "1235.5", "1236")]
    [InlineData("HalfUp", "1234.5", "1235")]
    [InlineData("HalfUp", "-1234.5", "-1235")]
    public void Yen_rounds_to_whole_units(string mode, string amount, string expected)
    {
        var policy = new RoundingPolicy(Enum.Parse<RoundingMode>(mode));

        Assert.Equal(D(expected), policy.Round(D(amount), Currency.JPY));
    }

    [Theory]
    [InlineData("HalfEven", "1.2345", "1.234")]
    [InlineData("HalfEven", "1.2355", "1.236")]
    [InlineData("HalfUp", "1.2345", "1.235")]
    [InlineData("HalfUp", "-1.2345", "-1.235")]
    public void Kuwaiti_dinar_rounds_to_three_digits(string mode, string amount, string expected)
    {
        var policy = new RoundingPolicy(Enum.Parse<RoundingMode>(mode));

        Assert.Equal(D(expected), policy.Round(D(amount), Currency.KWD));
    }

    [Fact]
    public void Default_policy_is_half_even_and_equals_the_default_value()
    {
        Assert.Equal(RoundingMode.HalfEven, RoundingPolicy.Default.Mode);
        Assert.Equal(RoundingPolicy.Default, default);
    }

    [Fact]
    public void Rounding_money_keeps_its_currency()
    {
        var rounded = RoundingPolicy.HalfUp.Round(new Money(0.0005m * 1_234, Currency.EUR));

        Assert.Equal(new Money(0.62m, Currency.EUR), rounded);
    }

    [Fact]
    public void Undefined_rounding_mode_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoundingPolicy((RoundingMode)7));
    }

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}
