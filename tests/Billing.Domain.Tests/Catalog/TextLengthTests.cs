namespace Billing.Domain.Tests;

public sealed class TextLengthTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("é", 1)]
    [InlineData("\U0001F600", 1)]
    [InlineData("a\U0001F600b", 3)]
    [InlineData("e\u0301", 2)]
    public void Characters_are_unicode_scalar_values(string text, int characters) =>
        Assert.Equal(characters, TextLength.Characters(text));

    [Fact]
    public void A_limit_counts_characters_not_utf16_units()
    {
        var hundredEmoji = string.Concat(Enumerable.Repeat("\U0001F600", 100));

        Assert.Equal(1, TextLength.Characters(new string('\uD800', 1))); // a lone surrogate (not valid UTF-16 text) counts once
        Assert.False(TextLength.Exceeds(hundredEmoji, 100));
        Assert.True(TextLength.Exceeds(hundredEmoji + "x", 100));
    }
}
