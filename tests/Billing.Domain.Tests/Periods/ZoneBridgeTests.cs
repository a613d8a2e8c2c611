using NodaTime;

namespace Billing.Domain.Tests.Periods;

/// <summary>The first period after a customer moves to another zone starts where the last one in the old zone ended.</summary>
public sealed class ZoneBridgeTests
{
    private const string Amsterdam = "Europe/Amsterdam";
    private const string NewYork = "America/New_York";

    [Fact]
    public void MovingWestTheFirstNewZonePeriodStartsAtTheOldMidnightAndIsLongerByTheOffsetDifference()
    {
        var december = BillingPeriod.Parse("2026-12", Amsterdam);

        var january = BillingPeriod.After(december, BillingCycle.Monthly, NewYork);

        Assert.Equal(Instant.FromUtc(2026, 12, 31, 23, 0), december.EndInstant);
        Assert.Equal((Instant.FromUtc(2026, 12, 31, 23, 0), Instant.FromUtc(2027, 2, 1, 5, 0)), (january.StartInstant, january.EndInstant));
        Assert.Equal(Duration.FromDays(31) + Duration.FromHours(6), january.Length);
        Assert.Equal((new LocalDate(2027, 1, 1), new LocalDate(2027, 2, 1), NewYork), (january.Start, january.EndExclusive, january.ZoneId));
        Assert.Equal(("2027-01", BillingCycle.Monthly, true), (january.Key, january.Cycle, january.IsBridge));
        Assert.Equal("2027-01-01..2027-02-01 America/New_York (2026-12-31T23:00:00Z..2027-02-01T05:00:00Z)", january.ToString());
    }

    [Fact]
    public void MovingEastTheFirstNewZonePeriodIsShorterByTheOffsetDifference()
    {
        var december = BillingPeriod.Parse("2026-12", NewYork);

        var january = BillingPeriod.After(december, BillingCycle.Monthly, Amsterdam);

        Assert.Equal((Instant.FromUtc(2027, 1, 1, 5, 0), Instant.FromUtc(2027, 1, 31, 23, 0)), (january.StartInstant, january.EndInstant));
        Assert.Equal(Duration.FromDays(31) - Duration.FromHours(6), january.Length);
        Assert.Equal("2027-01", january.Key);
    }

    [Fact]
    public void AfterTheBridgeThePeriodsArePlainNewZoneCalendarPeriods()
    {
        var january = BillingPeriod.After(BillingPeriod.Parse("2026-12", Amsterdam), BillingCycle.Monthly, NewYork);

        var february = january.Next();

        Assert.Equal(BillingPeriod.Parse("2027-02", NewYork), february);
        Assert.False(february.IsBridge);
        Assert.Equal(february, BillingPeriod.After(january, BillingCycle.Monthly, NewYork));
        Assert.Equal(Instant.FromUtc(2027, 2, 1, 5, 0), february.StartInstant);
    }

    [Fact]
    public void InTheSameZoneTheNextPeriodIsTheCalendarOneOrACycleChangesBridge()
    {
        var november = BillingPeriod.Parse("2026-11", NewYork);

        Assert.Equal(BillingPeriod.Parse("2026-12", NewYork), BillingPeriod.After(november, BillingCycle.Monthly, NewYork));
        // Tuesday 1 December to Sunday 6 December, then ISO weeks.
        Assert.Equal(new BillingPeriod(new LocalDate(2026, 12, 1), new LocalDate(2026, 12, 7), NewYork), BillingPeriod.After(november, BillingCycle.Weekly, NewYork));
        Assert.False(BillingPeriod.After(november, BillingCycle.Weekly, NewYork).IsBridge);
    }

    [Fact]
    public void ABridgeAcrossADaylightSavingChangeCountsTheInstantsNotTheHours()
    {
        // New York to London at the end of February 2027: 5 hours east, and London loses an hour on 28 March.
        var march = BillingPeriod.After(BillingPeriod.Parse("2027-02", NewYork), BillingCycle.Monthly, "Europe/London");

        Assert.Equal((Instant.FromUtc(2027, 3, 1, 5, 0), Instant.FromUtc(2027, 3, 31, 23, 0)), (march.StartInstant, march.EndInstant));
        Assert.Equal(Duration.FromDays(31) - Duration.FromHours(6), march.Length);
    }

    [Fact]
    public void ABridgeToAZoneWhoseFirstMidnightIsSkippedStartsAtTheOldMidnightAllTheSame()
    {
        // Asunción went to summer time at midnight on Sunday 1 October 2023: that day began at 01:00 (-03).
        var october = BillingPeriod.After(BillingPeriod.Parse("2023-09", Amsterdam), BillingCycle.Monthly, "America/Asuncion");

        Assert.Equal(Instant.FromUtc(2023, 10, 1, 4, 0), BillingPeriod.Parse("2023-10", "America/Asuncion").StartInstant);
        Assert.Equal((Instant.FromUtc(2023, 9, 30, 22, 0), Instant.FromUtc(2023, 11, 1, 3, 0)), (october.StartInstant, october.EndInstant));
        Assert.Equal("2023-10", october.Key);
    }

    [Fact]
    public void AMoveBetweenZonesWhoseMidnightsCoincideNeedsNoBridge()
    {
        // Havana's clocks go back at 01:00 on Sunday 1 November 2026: its first midnight is New York's.
        var november = BillingPeriod.After(BillingPeriod.Parse("2026-10", NewYork), BillingCycle.Monthly, "America/Havana");

        Assert.Equal(BillingPeriod.Parse("2026-11", "America/Havana"), november);
        Assert.False(november.IsBridge);
    }

    [Fact]
    public void AnExtremeMoveEastWithACycleChangeJoinsATooShortBridgeToTheNextWeek()
    {
        // October ends on Sunday 1 November at noon UTC (UTC-12); Monday 2 November begins 2 hours before that at UTC+14.
        var bridge = BillingPeriod.After(BillingPeriod.Parse("2026-10", "Etc/GMT+12"), BillingCycle.Weekly, "Pacific/Kiritimati");

        Assert.Equal((new LocalDate(2026, 11, 1), new LocalDate(2026, 11, 9)), (bridge.Start, bridge.EndExclusive));
        Assert.Equal((Instant.FromUtc(2026, 11, 1, 12, 0), Instant.FromUtc(2026, 11, 8, 10, 0)), (bridge.StartInstant, bridge.EndInstant));
    }

    [Theory]
    [InlineData("Pacific/Kiritimati", "Etc/GMT+12", BillingCycle.Monthly)]
    [InlineData("Etc/GMT+12", "Pacific/Kiritimati", BillingCycle.Quarterly)]
    [InlineData("Asia/Kolkata", "America/St_Johns", BillingCycle.Weekly)]
    [InlineData("Australia/Lord_Howe", "Pacific/Chatham", BillingCycle.Monthly)]
    public void PeriodsTileTimeAcrossAnyMoveForAYear(string from, string to, BillingCycle cycle)
    {
        var period = BillingPeriod.Containing(Instant.FromUtc(2026, 6, 15, 0, 0), cycle, from);
        var moved = BillingPeriod.After(period, cycle, to);
        var next = moved;
        for (var step = 0; step < 60 && next.StartInstant < Instant.FromUtc(2027, 7, 1, 0, 0); step++)
        {
            var after = BillingPeriod.After(next, cycle, to);
            Assert.Equal(next.EndInstant, after.StartInstant);
            Assert.Equal(after, next.Next());
            next = after;
        }

        Assert.Equal(period.EndInstant, moved.StartInstant);
        Assert.Equal(cycle, moved.Cycle);
    }

    [Fact]
    public void ABridgesHoursBeforeItsFirstLocalMidnightCountOnItsFirstDay()
    {
        var january = BillingPeriod.After(BillingPeriod.Parse("2026-12", Amsterdam), BillingCycle.Monthly, NewYork);
        var usage = new PeriodUsage(january, Currency.EUR);

        usage.Record(new UsageFact(Instant.FromUtc(2026, 12, 31, 23, 30), 1, 10, new Money(0.01m, Currency.EUR), "/v1/search", 0));
        usage.Record(new UsageFact(Instant.FromUtc(2027, 1, 1, 6, 0), 1, 10, new Money(0.01m, Currency.EUR), "/v1/search", 0));

        Assert.Equal(new LocalDate(2026, 12, 31), january.LocalDateOf(Instant.FromUtc(2026, 12, 31, 23, 30)));
        Assert.Equal(new LocalDate(2027, 1, 1), january.DayOf(Instant.FromUtc(2026, 12, 31, 23, 30)));
        Assert.Equal(2, Assert.Single(usage.Days).Value.Requests);
        Assert.Equal(new LocalDate(2027, 1, 1), usage.Days.Keys.Single());
    }

    [Fact]
    public void ACutBridgeKeepsItsStartAndAnExplicitBoundFarFromItsMidnightIsRefused()
    {
        var january = BillingPeriod.After(BillingPeriod.Parse("2026-12", Amsterdam), BillingCycle.Monthly, NewYork);

        var cut = january.EndingAt(new LocalDate(2027, 1, 2));

        Assert.Equal((Instant.FromUtc(2026, 12, 31, 23, 0), Instant.FromUtc(2027, 1, 2, 5, 0)), (cut.StartInstant, cut.EndInstant));
        Assert.Throws<ArgumentException>(() => new BillingPeriod(new LocalDate(2027, 1, 1), new LocalDate(2027, 2, 1), NewYork, startInstant: Instant.FromUtc(2026, 12, 28, 0, 0)));
        Assert.Throws<ArgumentException>(() => new BillingPeriod(new LocalDate(2027, 1, 1), new LocalDate(2027, 1, 2), NewYork, startInstant: Instant.FromUtc(2027, 1, 2, 6, 0)));
    }
}
