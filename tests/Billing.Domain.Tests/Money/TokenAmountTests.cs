namespace Billing.Domain.Tests;

public class TokenAmountTests
{
    private static TokenAmount Tokens(long value) => new(value);

    [Fact]
    public void Negative_amounts_cannot_be_constructed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenAmount(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenAmount(long.MinValue));
    }

    [Fact]
    public void Zero_is_the_default_value()
    {
        Assert.Equal(0, TokenAmount.Zero.Value);
        Assert.Equal(TokenAmount.Zero, default);
        Assert.True(TokenAmount.Zero.IsZero);
    }

    [Fact]
    public void Adding_sums_the_counts()
    {
        Assert.Equal(Tokens(12), Tokens(5) + Tokens(7));
    }

    [Fact]
    public void Adding_past_the_long_range_throws_overflow()
    {
        Assert.Throws<OverflowException>(() => Tokens(long.MaxValue) + Tokens(1));
    }

    [Fact]
    public void Subtracting_down_to_zero_is_allowed()
    {
        Assert.Equal(TokenAmount.Zero, Tokens(5) - Tokens(5));
        Assert.Equal(Tokens(3), Tokens(5) - Tokens(2));
    }

    [Fact]
    public void Subtracting_more_than_available_throws_with_requested_and_available()
    {
        var error = Assert.Throws<InsufficientTokensException>(() => Tokens(5) - Tokens(8));

        Assert.Equal(Tokens(8), error.Requested);
        Assert.Equal(Tokens(5), error.Available);
        Assert.Equal("Insufficient tokens: requested 8, available 5.", error.Message);
    }

    [Fact]
    public void Comparison_and_min_max_follow_the_counts()
    {
        Assert.True(Tokens(1) < Tokens(2));
        Assert.True(Tokens(2) >= Tokens(2));
        Assert.Equal(Tokens(3), TokenAmount.Min(Tokens(3), Tokens(9)));
        Assert.Equal(Tokens(9), TokenAmount.Max(Tokens(3), Tokens(9)));
        Assert.Equal(-1, Tokens(3).CompareTo(Tokens(4)));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(4_096L)]
    [InlineData(1_000_000L)]
    public void ValidateRequest_accepts_one_to_a_million(long tokens)
    {
        Assert.Equal(tokens, TokenAmount.ValidateRequest(tokens).Value);
        Assert.True(TokenAmount.TryValidateRequest(tokens, out var amount));
        Assert.Equal(tokens, amount.Value);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1_000_001L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void ValidateRequest_rejects_counts_outside_one_to_a_million_with_the_api_message(long tokens)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.ValidateRequest(tokens));

        Assert.Equal("tokens must be between 1 and 1000000", error.Message);
        Assert.False(TokenAmount.TryValidateRequest(tokens, out _));
    }

    [Fact]
    public void Max_per_request_is_one_million()
    {
        Assert.Equal(1_000_000L, TokenAmount.MaxPerRequest);
    }
}
