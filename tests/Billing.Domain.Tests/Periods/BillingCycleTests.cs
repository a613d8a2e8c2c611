namespace Billing.Domain.Tests.Periods;

public sealed class BillingCycleTests
{
    [Theory]
    [InlineData(BillingCycle.Weekly, "weekly")]
    [InlineData(BillingCycle.Monthly, "monthly")]
    [InlineData(BillingCycle.Quarterly, "quarterly")]
    public void CyclesRoundTripThroughTheirLowerCaseNames(BillingCycle cycle, string text)
    {
        Assert.Equal(text, cycle.ToText());
        Assert.Equal(cycle, BillingCycles.Parse(text));
        Assert.Equal(cycle, BillingCycles.Parse(" " + text.ToUpperInvariant() + " "));
    }

    [Theory]
    [InlineData(PeriodStatus.Pending, "pending")]
    [InlineData(PeriodStatus.Paid, "paid")]
    [InlineData(PeriodStatus.Overdue, "overdue")]
    [InlineData(PeriodStatus.Waived, "waived")]
    public void StatusesRoundTripThroughTheirLowerCaseNames(PeriodStatus status, string text)
    {
        Assert.Equal(text, status.ToText());
        Assert.Equal(status, PeriodStatuses.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yearly")]
    [InlineData("2")]
    [InlineData("weekly,monthly")]
    [InlineData("Weekly!")]
    [InlineData("wee\u212Aly")]
    public void RejectsAnythingButTheName(string? text)
    {
        Assert.False(BillingCycles.TryParse(text, out _));
        Assert.False(PeriodStatuses.TryParse(text, out _));
    }

    [Fact]
    public void ParseErrorsNameTheAcceptedValues()
    {
        Assert.Equal(
            "Unknown billing cycle 'yearly'; use one of weekly, monthly, quarterly.",
            Assert.Throws<FormatException>(() => BillingCycles.Parse("yearly")).Message);
        Assert.Equal(
            "Unknown period status 'late'; use one of pending, paid, overdue, waived.",
            Assert.Throws<FormatException>(() => PeriodStatuses.Parse("late")).Message);
    }

    [Fact]
    public void ParseErrorsShowALongValueCutShort()
    {
        Assert.Equal(
            $"Unknown billing cycle '{new string('x', 32)}…'; use one of weekly, monthly, quarterly.",
            Assert.Throws<FormatException>(() => BillingCycles.Parse(new string('x', 33))).Message);
    }

    [Fact]
    public void UndefinedValuesHaveNoName()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => default(BillingCycle).ToText());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((PeriodStatus)9).ToText());
    }
}
