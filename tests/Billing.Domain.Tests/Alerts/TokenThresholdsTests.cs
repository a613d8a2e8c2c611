namespace Billing.Domain.Tests;

public class TokenThresholdsTests
{
    [Fact]
    public void DefaultsAreEightyAndHundredPercent()
    {
        Assert.Equal([80, 100], TokenThresholds.Default.Percents);
        Assert.Equal(["token_80", "token_100"], [TokenThresholds.Default.KindOf(0), TokenThresholds.Default.KindOf(1)]);
    }

    [Fact]
    public void PercentsAreSortedAscending()
    {
        Assert.True(TokenThresholds.TryCreate([100, 50, 90], out var thresholds, out var errors));

        Assert.Empty(errors);
        Assert.Equal([50, 90, 100], thresholds.Percents);
    }

    [Theory]
    [InlineData(new int[0], "token_thresholds_percent must list 1 to 10 percents")]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, "token_thresholds_percent must list 1 to 10 percents")]
    [InlineData(new[] { 0, 80 }, "token_thresholds_percent must be whole percents from 1 to 100")]
    [InlineData(new[] { 80, 101 }, "token_thresholds_percent must be whole percents from 1 to 100")]
    [InlineData(new[] { 80, 80 }, "token_thresholds_percent must not repeat a percent")]
    public void RejectsEmptyLongOutOfRangeAndRepeatedLists(int[] percents, string message)
    {
        Assert.False(TokenThresholds.TryCreate(percents, out var thresholds, out var errors));

        Assert.Null(thresholds);
        Assert.Equal([new FieldError("token_thresholds_percent", message)], errors);
    }

    [Theory]
    [InlineData(1_000L, 0, 200L)]
    [InlineData(1_000L, 1, 0L)]
    [InlineData(3L, 0, 0L)]              // 80 % of 3 is 2.4 tokens: the third one reaches it
    [InlineData(999L, 0, 199L)]          // 799.2 → 800 consumed
    [InlineData(1_000_000_000_000_000L, 0, 200_000_000_000_000L)]
    public void ReachedAtRemainingRoundsTheConsumedTokensUp(long allowance, int index, long remaining)
    {
        Assert.Equal(remaining, TokenThresholds.Default.ReachedAtRemaining(allowance, index));
    }
}
