namespace Billing.Domain.Tests;

public class ListLimitTests
{
    [Fact]
    public void AbsentLimitIsTheDefault()
    {
        Assert.True(ListLimit.TryParse(null, 24, 120, out var limit, out var error));

        Assert.Equal(24, limit);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("120", 120)]
    [InlineData("007", 7)]
    public void AcceptsWholeNumbersFromOneToTheMaximum(string text, int expected)
    {
        Assert.True(ListLimit.TryParse(text, 24, 120, out var limit, out _));

        Assert.Equal(expected, limit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("121")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("5.0")]
    [InlineData("1e2")]
    [InlineData("99999999999")]
    [InlineData("")]
    public void RejectsAnythingElseAsTheLimitField(string text)
    {
        Assert.False(ListLimit.TryParse(text, 24, 120, out var limit, out var error));

        Assert.Equal(0, limit);
        Assert.Equal(new FieldError("limit", "limit must be a whole number from 1 to 120"), error);
    }

    [Theory]
    [InlineData(0, 120)]
    [InlineData(121, 120)]
    public void RefusesADefaultOutsideItsOwnBounds(int defaultLimit, int maxLimit)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ListLimit.TryParse(null, defaultLimit, maxLimit, out _, out _));
    }
}
