namespace Billing.Domain.Tests.Analytics;

public sealed class MrrMovementTests
{
    [Theory]
    [InlineData(0, 30, false, MrrMovementKind.New, 30)]
    [InlineData(0, 30, true, MrrMovementKind.Reactivation, 30)]
    [InlineData(30, 45, true, MrrMovementKind.Expansion, 15)]
    [InlineData(45, 20, true, MrrMovementKind.Contraction, 25)]
    [InlineData(45, 0, true, MrrMovementKind.Churn, 45)]
    [InlineData(45, 45, true, MrrMovementKind.None, 0)]
    [InlineData(0, 0, true, MrrMovementKind.None, 0)]
    public void ClassifiesTheChangeBetweenTwoMonthEnds(int previous, int current, bool paidBefore, MrrMovementKind kind, int amount)
    {
        var movement = MrrMovement.Classify(Usd(previous), Usd(current), paidBefore);

        Assert.Equal((kind, Usd(amount)), (movement.Kind, movement.Amount));
    }

    [Fact]
    public void NegativeMrrIsRefused() =>
        Assert.Throws<InvariantViolationException>(() => MrrMovement.Classify(Usd(-1), Usd(0), paidBefore: false));

    [Theory]
    [InlineData(BillingCycle.Monthly, "30.00", "30.00")]
    [InlineData(BillingCycle.Quarterly, "100.00", "33.33")] // 33.333…
    [InlineData(BillingCycle.Weekly, "10.00", "43.33")] // 10 × 52 / 12 = 43.333…
    [InlineData(BillingCycle.Quarterly, "0.075", "0.02")] // 0.025, a tie: half-even rounds down to the even cent
    public void RecurringPriceIsNormalisedToAMonthAndRoundedOnce(BillingCycle cycle, string perPeriod, string perMonth)
    {
        var monthly = RecurringRevenue.PerMonth(new Money(decimal.Parse(perPeriod, System.Globalization.CultureInfo.InvariantCulture), Currency.USD), cycle, RoundingPolicy.HalfEven);

        Assert.Equal(decimal.Parse(perMonth, System.Globalization.CultureInfo.InvariantCulture), monthly.Amount);
    }

    [Fact]
    public void HalfUpRoundsTheTieUp() =>
        Assert.Equal(0.03m, RecurringRevenue.PerMonth(new Money(0.075m, Currency.USD), BillingCycle.Quarterly, RoundingPolicy.HalfUp).Amount);

    [Theory]
    [InlineData("2026-01", "2026-12", null)]
    [InlineData("2024-01", "2026-12", null)] // 36 months
    [InlineData("2024-01", "2027-01", RangeProblem.RangeTooLong)]
    [InlineData("2026-05", "2026-04", RangeProblem.RangeReversed)]
    [InlineData("2026-5", "2026-06", RangeProblem.InvalidMonth)]
    [InlineData("2026-13", "2026-12", RangeProblem.InvalidMonth)]
    [InlineData("2026-01", null, RangeProblem.InvalidMonth)]
    public void MonthRangesAreBounded(string? from, string? to, string? code)
    {
        var range = MonthRange.TryParse(from, to, out var problem);

        Assert.Equal(code, problem?.Code);
        Assert.Equal(code is null, range is not null);
    }

    [Theory]
    [InlineData("2026-01-01", "2026-04-01", null)] // 91 days
    [InlineData("2026-01-01", "2026-04-03", RangeProblem.RangeTooLong)]
    [InlineData("2026-01-02", "2026-01-01", RangeProblem.RangeReversed)]
    [InlineData("2026-02-30", "2026-03-01", RangeProblem.InvalidDate)]
    public void DayRangesAreBounded(string from, string to, string? code)
    {
        DayRange.TryParse(from, to, out var problem);

        Assert.Equal(code, problem?.Code);
    }

    [Theory]
    [InlineData(0, 0, "0")]
    [InlineData(3, 1, "0.3333")]
    [InlineData(3, 2, "0.6667")]
    [InlineData(20000, 1, "0.0000")] // 0.00005, a tie: half-even keeps the even 0
    [InlineData(20000, 3, "0.0002")] // 0.00015 → 0.0002
    public void ErrorRateIsRoundedHalfEvenToFourDecimals(long requests, long errors, string rate) =>
        Assert.Equal(decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), new UsageFigures(requests, 0, errors).ErrorRate);

    private static Money Usd(int amount) => new(amount, Currency.USD);
}
