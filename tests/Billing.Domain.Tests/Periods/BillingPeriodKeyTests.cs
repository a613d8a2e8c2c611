using NodaTime;

namespace Billing.Domain.Tests.Periods;

public sealed class BillingPeriodKeyTests
{
    [Theory]
    [InlineData("2025-06", "2025-06-01", "2025-07-01", BillingCycle.Monthly)]
    [InlineData("2025-W23", "2025-06-02", "2025-06-09", BillingCycle.Weekly)]
    [InlineData("2025-w01", "2024-12-30", "2025-01-06", BillingCycle.Weekly)]
    [InlineData("2020-W53", "2020-12-28", "2021-01-04", BillingCycle.Weekly)]
    [InlineData("2025-Q2", "2025-04-01", "2025-07-01", BillingCycle.Quarterly)]
    [InlineData("2025-q4", "2025-10-01", "2026-01-01", BillingCycle.Quarterly)]
    public void ParsesMonthsIsoWeeksAndQuarters(string key, string start, string endExclusive, BillingCycle cycle)
    {
        var period = BillingPeriod.Parse(key, "Europe/Amsterdam");

        Assert.Equal(LocalDate.FromDateOnly(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture)), period.Start);
        Assert.Equal(LocalDate.FromDateOnly(DateOnly.Parse(endExclusive, System.Globalization.CultureInfo.InvariantCulture)), period.EndExclusive);
        Assert.Equal(cycle, period.Cycle);
        Assert.Equal("Europe/Amsterdam", period.ZoneId);
        Assert.Equal(key.ToUpperInvariant(), period.Key);
    }

    [Fact]
    public void WeekKeysUseTheIsoWeekYear()
    {
        var lastDaysOf2024 = new BillingPeriod(new LocalDate(2024, 12, 30), new LocalDate(2025, 1, 6), "UTC");
        var firstDaysOf2021 = BillingPeriod.Containing(Instant.FromUtc(2021, 1, 3, 12, 0), BillingCycle.Weekly, "UTC");

        Assert.Equal("2025-W01", lastDaysOf2024.Key);
        Assert.Equal("2020-W53", firstDaysOf2021.Key);
    }

    [Theory]
    [InlineData(null, "period is required; use a month like 2025-06, an ISO week like 2025-W23 or a quarter like 2025-Q2")]
    [InlineData("", "period '' is not a month like 2025-06, an ISO week like 2025-W23 or a quarter like 2025-Q2")]
    [InlineData("2025-6", "period '2025-6' is not a month like 2025-06, an ISO week like 2025-W23 or a quarter like 2025-Q2")]
    [InlineData(" 2025-06", "period ' 2025-06' is not a month like 2025-06, an ISO week like 2025-W23 or a quarter like 2025-Q2")]
    [InlineData("2025/06", "period '2025/06' is not a month like 2025-06, an ISO week like 2025-W23 or a quarter like 2025-Q2")]
    [InlineData("2025-Q5", "period '2025-Q5' is not a month like 2025-06, an ISO week like 2025-W23 or a quarter like 2025-Q2")]
    [InlineData("２０２５-06", "period '２０２５-06' is not a month like 2025-06, an ISO week like 2025-W23 or a quarter like 2025-Q2")]
    [InlineData("2025-06-01T00:00:00Z-and-more", "period '2025-06-01T00:00…' is not a month like 2025-06, an ISO week like 2025-W23 or a quarter like 2025-Q2")]
    [InlineData("2025-13", "period month must be between 01 and 12")]
    [InlineData("2025-00", "period month must be between 01 and 12")]
    [InlineData("1969-12", "period year must be between 1970 and 2999")]
    [InlineData("3000-W01", "period year must be between 1970 and 2999")]
    [InlineData("2025-W00", "period week must be between W01 and W52: ISO year 2025 has 52 weeks")]
    [InlineData("2025-W53", "period week must be between W01 and W52: ISO year 2025 has 52 weeks")]
    public void RejectsMalformedKeysWithAMessageForThePeriodField(string? key, string expected)
    {
        Assert.False(BillingPeriod.TryParse(key, "UTC", out var period, out var error));

        Assert.Null(period);
        Assert.Equal(new FieldError(BillingPeriod.KeyField, expected), error);
        if (key is not null)
        {
            Assert.Equal(expected, Assert.Throws<FormatException>(() => BillingPeriod.Parse(key, "UTC")).Message);
        }
    }

    [Fact]
    public void TryParseGivesThePeriodAndNoError()
    {
        Assert.True(BillingPeriod.TryParse("2025-06", "Pacific/Auckland", out var period, out var error));

        Assert.Null(error);
        Assert.Equal(BillingPeriod.Containing(Instant.FromUtc(2025, 6, 15, 0, 0), BillingCycle.Monthly, "Pacific/Auckland"), period);
    }
}
