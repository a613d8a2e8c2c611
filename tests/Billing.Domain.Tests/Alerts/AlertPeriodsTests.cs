using NodaTime;

namespace Billing.Domain.Tests;

public class AlertPeriodsTests
{
    [Theory]
    [InlineData(2026, 11, 21, "2026-W47")]
    [InlineData(2026, 12, 31, "2026-W53")]
    [InlineData(2027, 1, 3, "2026-W53")]
    [InlineData(2027, 1, 4, "2027-W01")]
    [InlineData(2024, 12, 30, "2025-W01")]
    public void WeeksAreIsoWeeksKeyedByTheirWeekYear(int year, int month, int day, string key)
    {
        var week = AlertPeriods.WeekOf(new LocalDate(year, month, day), "Europe/Amsterdam");

        Assert.Equal(key, week.Key);
        Assert.Equal(IsoDayOfWeek.Monday, week.Start.DayOfWeek);
        Assert.Equal(7, Period.Between(week.Start, week.EndExclusive, PeriodUnits.Days).Days);
    }

    [Fact]
    public void DaysFollowTheZonesClockAcrossDst()
    {
        var day = AlertPeriods.Day(new LocalDate(2026, 10, 25), "Europe/Amsterdam");

        Assert.Equal(Duration.FromHours(25), day.Length);
        Assert.Equal(Instant.FromUtc(2026, 10, 24, 22, 0), day.StartInstant);
        Assert.Equal("2026-10-25", AlertPeriods.DayKey(day.Start));
    }

    [Fact]
    public void GrantPeriodsAreKeyedByTheGrantsSequence()
    {
        Assert.Equal("grant-42", AlertPeriods.GrantKey(42));
    }

    [Theory]
    [InlineData("cost_daily", true)]
    [InlineData("cost_weekly", true)]
    [InlineData("cost_customer_daily", true)]
    [InlineData("token_80", true)]
    [InlineData("token_100", true)]
    [InlineData("token_1", true)]
    [InlineData("token_0", false)]
    [InlineData("token_101", false)]
    [InlineData("token_080", false)]
    [InlineData("token_", false)]
    [InlineData("token_8x", false)]
    [InlineData("cost_monthly", false)]
    [InlineData(null, false)]
    public void KnowsTheCostKindsAndTokenKindsOfWholePercents(string? kind, bool known)
    {
        Assert.Equal(known, AlertKinds.IsKnown(kind));
    }
}
