using NodaTime;

namespace Billing.Domain.Tests.Periods;

public sealed class BillingPeriodTests
{
    [Fact]
    public void AmsterdamMarch2025LosesAnHourToSummerTime()
    {
        var march = BillingPeriod.Containing(Instant.FromUtc(2025, 3, 15, 12, 0), BillingCycle.Monthly, "Europe/Amsterdam");

        Assert.Equal(743, march.Length.TotalHours);
        Assert.Equal(Instant.FromUtc(2025, 2, 28, 23, 0), march.StartInstant);
        Assert.Equal(Instant.FromUtc(2025, 3, 31, 22, 0), march.EndInstant);
    }

    [Fact]
    public void AmsterdamOctober2025GainsAnHourFromWinterTime()
    {
        var october = BillingPeriod.Containing(Instant.FromUtc(2025, 10, 15, 12, 0), BillingCycle.Monthly, "Europe/Amsterdam");

        Assert.Equal(745, october.Length.TotalHours);
    }

    [Fact]
    public void WeeksAreIsoWeeksFromMondayToSunday()
    {
        var week = BillingPeriod.Containing(Instant.FromUtc(2025, 6, 8, 21, 59), BillingCycle.Weekly, "Europe/Amsterdam"); // Sunday 23:59 local

        Assert.Equal(new LocalDate(2025, 6, 2), week.Start);
        Assert.Equal(new LocalDate(2025, 6, 9), week.EndExclusive);
        Assert.Equal(new LocalDate(2025, 6, 8), week.LastDay);
        Assert.Equal(BillingCycle.Weekly, week.Cycle);
        Assert.Equal("2025-W23", week.Key);
    }

    [Fact]
    public void QuartersStartInJanuaryAprilJulyAndOctober()
    {
        var q2 = BillingPeriod.Containing(Instant.FromUtc(2025, 5, 15, 0, 0), BillingCycle.Quarterly, "UTC");

        Assert.Equal(new BillingPeriod(new LocalDate(2025, 4, 1), new LocalDate(2025, 7, 1), "UTC"), q2);
        Assert.Equal("2025-Q2", q2.Key);
        Assert.Equal("2025-Q3", q2.Next().Key);
        Assert.Equal("2025-Q1", q2.Previous().Key);
        Assert.Equal("2026-Q1", q2.Next().Next().Next().Key);
    }

    [Fact]
    public void NextAndPreviousMonthCrossYearEnds()
    {
        var december = BillingPeriod.Parse("2024-12", "UTC");

        Assert.Equal(new LocalDate(2025, 1, 1), december.Next().Start);
        Assert.Equal(new LocalDate(2025, 2, 1), december.Next().EndExclusive);
        Assert.Equal(new LocalDate(2024, 11, 1), december.Previous().Start);
        Assert.Equal(december, december.Next().Previous());
    }

    [Fact]
    public void TheConstructorRecognisesCalendarCyclesAndLeavesOtherSpansCustom()
    {
        Assert.Equal(BillingCycle.Monthly, new BillingPeriod(new LocalDate(2025, 2, 1), new LocalDate(2025, 3, 1), "UTC").Cycle);
        Assert.Equal(BillingCycle.Weekly, new BillingPeriod(new LocalDate(2024, 1, 1), new LocalDate(2024, 1, 8), "UTC").Cycle);
        Assert.Equal(BillingCycle.Quarterly, new BillingPeriod(new LocalDate(2025, 10, 1), new LocalDate(2026, 1, 1), "UTC").Cycle);
        Assert.Null(new BillingPeriod(new LocalDate(2024, 1, 2), new LocalDate(2024, 1, 9), "UTC").Cycle);
        Assert.Null(new BillingPeriod(new LocalDate(2025, 2, 1), new LocalDate(2025, 4, 1), "UTC").Cycle);
    }

    [Fact]
    public void MonthContainingEqualsTheMonthlyPeriodContaining()
    {
        var at = Instant.FromUtc(2026, 3, 31, 22, 30);

        Assert.Equal(BillingPeriod.Containing(at, BillingCycle.Monthly, "Europe/Amsterdam"), BillingPeriod.MonthContaining(at, "Europe/Amsterdam"));
    }

    [Fact]
    public void ACustomSpanHasARangeKeyAndNoNeighbours()
    {
        var custom = new BillingPeriod(new LocalDate(2026, 9, 6), new LocalDate(2026, 9, 7), "America/Santiago");

        Assert.Null(custom.Cycle);
        Assert.Equal("2026-09-06..2026-09-07", custom.Key);
        var error = Assert.Throws<InvalidOperationException>(() => custom.Next());
        Assert.Contains("custom span", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => custom.Previous());
    }

    [Fact]
    public void SaoPauloDayWithoutMidnightStartsWhenTheClocksResume()
    {
        // 2018-11-04: clocks jumped from 00:00 to 01:00 (-02:00), so the day began at 03:00Z.
        var day = new BillingPeriod(new LocalDate(2018, 11, 4), new LocalDate(2018, 11, 5), "America/Sao_Paulo");
        var week = BillingPeriod.Containing(Instant.FromUtc(2018, 11, 4, 3, 0), BillingCycle.Weekly, "America/Sao_Paulo");

        Assert.Equal(Instant.FromUtc(2018, 11, 4, 3, 0), day.StartInstant);
        Assert.Equal(23, day.Length.TotalHours);
        Assert.Equal(new LocalDate(2018, 10, 29), week.Start);
        Assert.Equal(167, week.Length.TotalHours);
    }

    [Fact]
    public void SaoPauloWeekStartingInAMidnightGapStartsAtTheEndOfTheGap()
    {
        // Monday 1997-10-06 had no 00:00 in Sao Paulo: the week starts at 01:00 local (-02:00).
        var week = BillingPeriod.Containing(Instant.FromUtc(1997, 10, 8, 12, 0), BillingCycle.Weekly, "America/Sao_Paulo");

        Assert.Equal(new LocalDate(1997, 10, 6), week.Start);
        Assert.Equal(Instant.FromUtc(1997, 10, 6, 3, 0), week.StartInstant);
        Assert.Equal(week.StartInstant, week.Previous().EndInstant);
    }

    [Fact]
    public void StJohnsRepeatedHourAfterMidnightBelongsToTheMonthAlreadyBegun()
    {
        // 2009-11-01 00:01 NDT the clocks went back to 2009-10-31 23:01 NST: 02:31Z..03:30Z reads as
        // October again, but November began at 02:30Z, so those instants are November's.
        var repeated = Instant.FromUtc(2009, 11, 1, 3, 0);

        var period = BillingPeriod.Containing(repeated, BillingCycle.Monthly, "America/St_Johns");

        Assert.Equal("2009-11", period.Key);
        Assert.Equal(Instant.FromUtc(2009, 11, 1, 2, 30), period.StartInstant);
        Assert.True(period.Contains(repeated));
        Assert.Equal(new LocalDate(2009, 10, 31), period.LocalDateOf(repeated));
    }

    [Fact]
    public void ApiaWeekWithoutItsFridayIsSixDaysLong()
    {
        // Samoa skipped 2011-12-30 entirely when it moved across the date line.
        var week = BillingPeriod.Containing(Instant.FromUtc(2011, 12, 29, 12, 0), BillingCycle.Weekly, "Pacific/Apia");
        var skippedDay = new BillingPeriod(new LocalDate(2011, 12, 30), new LocalDate(2011, 12, 31), "Pacific/Apia");

        Assert.Equal(new LocalDate(2011, 12, 26), week.Start);
        Assert.Equal(Duration.FromDays(6), week.Length);
        Assert.Equal(Duration.Zero, skippedDay.Length);
    }

    [Fact]
    public void UnknownZonesAndBackwardSpansAreRejected()
    {
        Assert.Throws<ArgumentException>(() => BillingPeriod.Containing(Instant.FromUtc(2025, 1, 1, 0, 0), BillingCycle.Monthly, "Mars/Olympus"));
        Assert.Throws<ArgumentException>(() => new BillingPeriod(new LocalDate(2025, 1, 2), new LocalDate(2025, 1, 2), "UTC"));
        Assert.Throws<ArgumentOutOfRangeException>(() => BillingPeriod.Containing(Instant.FromUtc(2025, 1, 1, 0, 0), (BillingCycle)0, "UTC"));
    }
}
