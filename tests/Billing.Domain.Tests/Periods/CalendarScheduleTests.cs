using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using NodaTime;
using NodaTime.TimeZones;

namespace Billing.Domain.Tests.Periods;

public class CalendarScheduleTests
{
    private static readonly LocalTime Midnight = LocalTime.Midnight;

    // Iterates NextAfter through the DateTimeOffset overload and compares text, so each expected value pins
    // both the instant and the zone offset it is reported in.
    private static void AssertOccurrences(CalendarSchedule schedule, string start, params string[] expected)
    {
        DateTimeOffset t = Dto(start);
        var actual = new List<string>();
        foreach (string _ in expected)
        {
            t = schedule.NextAfter(t);
            actual.Add(t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        }
        Assert.Equal(expected, actual);
    }

    private static DateTimeOffset Dto(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static Instant At(string text) => Instant.FromDateTimeOffset(Dto(text));

    [Fact]
    public void LastDayAtMidnightInAmsterdamFollowsBothDstChanges() =>
        AssertOccurrences(CalendarSchedule.MonthlyOnLastDay(Midnight, "Europe/Amsterdam"), "2026-02-15T00:00:00+01:00",
            "2026-02-28T00:00:00+01:00", "2026-03-31T00:00:00+02:00", "2026-04-30T00:00:00+02:00",
            "2026-05-31T00:00:00+02:00", "2026-06-30T00:00:00+02:00", "2026-07-31T00:00:00+02:00",
            "2026-08-31T00:00:00+02:00", "2026-09-30T00:00:00+02:00", "2026-10-31T00:00:00+01:00",
            "2026-11-30T00:00:00+01:00", "2026-12-31T00:00:00+01:00", "2027-01-31T00:00:00+01:00");

    [Fact]
    public void LastDayAtMidnightInAucklandFollowsSouthernHemisphereDstChanges() =>
        AssertOccurrences(CalendarSchedule.MonthlyOnLastDay(Midnight, "Pacific/Auckland"), "2026-03-15T00:00:00+13:00",
            "2026-03-31T00:00:00+13:00", "2026-04-30T00:00:00+12:00", "2026-05-31T00:00:00+12:00",
            "2026-06-30T00:00:00+12:00", "2026-07-31T00:00:00+12:00", "2026-08-31T00:00:00+12:00",
            "2026-09-30T00:00:00+13:00", "2026-10-31T00:00:00+13:00");

    [Fact]
    public void FirstOfMonthAtMidnightInAmsterdamIsTheLocalBillingBoundary() =>
        AssertOccurrences(CalendarSchedule.Monthly(1, Midnight, "Europe/Amsterdam"), "2026-02-15T00:00:00+01:00",
            "2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00", "2026-05-01T00:00:00+02:00",
            "2026-06-01T00:00:00+02:00", "2026-07-01T00:00:00+02:00", "2026-08-01T00:00:00+02:00",
            "2026-09-01T00:00:00+02:00", "2026-10-01T00:00:00+02:00", "2026-11-01T00:00:00+01:00");

    [Fact]
    public void FirstOfMonthAtMidnightInAucklandIsTheLocalBillingBoundary() =>
        AssertOccurrences(CalendarSchedule.Monthly(1, Midnight, "Pacific/Auckland"), "2026-03-15T00:00:00+13:00",
            "2026-04-01T00:00:00+13:00", "2026-05-01T00:00:00+12:00", "2026-06-01T00:00:00+12:00",
            "2026-07-01T00:00:00+12:00", "2026-08-01T00:00:00+12:00", "2026-09-01T00:00:00+12:00",
            "2026-10-01T00:00:00+13:00", "2026-11-01T00:00:00+13:00");

    [Fact]
    public void Day31ClampsToTheLastDayOfShorterMonths() =>
        AssertOccurrences(CalendarSchedule.Monthly(31, new LocalTime(6, 0), "UTC"), "2027-01-01T00:00:00Z",
            "2027-01-31T06:00:00+00:00", "2027-02-28T06:00:00+00:00", "2027-03-31T06:00:00+00:00",
            "2027-04-30T06:00:00+00:00");

    [Fact]
    public void Day31ClampsToFebruary29InALeapYear() =>
        AssertOccurrences(CalendarSchedule.Monthly(31, Midnight, "UTC"), "2028-01-31T00:00:00Z",
            "2028-02-29T00:00:00+00:00", "2028-03-31T00:00:00+00:00");

    [Fact]
    public void Day30FallsBackToFebruary28AndReturnsToThe30thInMarch() =>
        AssertOccurrences(CalendarSchedule.Monthly(30, Midnight, "UTC"), "2026-02-01T00:00:00Z",
            "2026-02-28T00:00:00+00:00", "2026-03-30T00:00:00+00:00");

    [Fact]
    public void QuarterlyAnchoredOnJanuaryFiresInJanuaryAprilJulyAndOctoberOnly() =>
        AssertOccurrences(CalendarSchedule.Monthly(1, Midnight, "UTC", everyMonths: 3, anchorMonth: 1), "2026-01-01T00:00:00Z",
            "2026-04-01T00:00:00+00:00", "2026-07-01T00:00:00+00:00", "2026-10-01T00:00:00+00:00",
            "2027-01-01T00:00:00+00:00", "2027-04-01T00:00:00+00:00");

    [Fact]
    public void QuarterlyAnchoredOnFebruaryFiresInFebruaryMayAugustAndNovember() =>
        AssertOccurrences(CalendarSchedule.MonthlyOnLastDay(Midnight, "UTC", everyMonths: 3, anchorMonth: 2), "2026-01-10T00:00:00Z",
            "2026-02-28T00:00:00+00:00", "2026-05-31T00:00:00+00:00", "2026-08-31T00:00:00+00:00",
            "2026-11-30T00:00:00+00:00", "2027-02-28T00:00:00+00:00");

    [Fact]
    public void YearlyFiresOnceAYearInTheAnchorMonth() =>
        AssertOccurrences(CalendarSchedule.Monthly(15, new LocalTime(12, 0), "Europe/Amsterdam", everyMonths: 12, anchorMonth: 7),
            "2026-07-15T12:00:00+02:00",
            "2027-07-15T12:00:00+02:00", "2028-07-15T12:00:00+02:00");

    [Fact]
    public void WeeklyFiresOnTheWeekdayAcrossAucklandsDstEnd() =>
        AssertOccurrences(CalendarSchedule.Weekly(IsoDayOfWeek.Monday, new LocalTime(9, 30), "Pacific/Auckland"), "2026-03-25T12:00:00+13:00",
            "2026-03-30T09:30:00+13:00", "2026-04-06T09:30:00+12:00", "2026-04-13T09:30:00+12:00");

    [Fact]
    public void WeeklyFiresLaterTheSameDayButNotAgainOnceItsTimeHasPassed()
    {
        var schedule = CalendarSchedule.Weekly(IsoDayOfWeek.Monday, new LocalTime(9, 30), "UTC");
        Assert.Equal(At("2026-03-30T09:30:00Z"), schedule.NextAfter(At("2026-03-30T09:29:59Z")));
        Assert.Equal(At("2026-04-06T09:30:00Z"), schedule.NextAfter(At("2026-03-30T09:30:01Z")));
    }

    [Fact]
    public void DailyFiresEveryDayAtTheLocalTimeWithSeconds() =>
        AssertOccurrences(CalendarSchedule.Daily(new LocalTime(7, 15, 45), "Asia/Kathmandu"), "2026-06-01T07:15:45+05:45",
            "2026-06-02T07:15:45+05:45", "2026-06-03T07:15:45+05:45");

    [Fact]
    public void DailyInAnAmbiguousHourFiresOnceAtTheEarlierInstant() =>
        // Santiago falls back at 2026-04-05 00:00 to 04-04 23:00, so 23:59:30 on April 4 happens twice.
        AssertOccurrences(CalendarSchedule.Daily(new LocalTime(23, 59, 30), "America/Santiago"), "2026-04-03T12:00:00-03:00",
            "2026-04-03T23:59:30-03:00", "2026-04-04T23:59:30-03:00", "2026-04-05T23:59:30-04:00");

    [Fact]
    public void AmbiguousTimeDoesNotFireAgainOnItsSecondPass()
    {
        var schedule = CalendarSchedule.Daily(new LocalTime(2, 30), "Europe/Amsterdam");
        Assert.Equal(At("2026-10-25T02:30:00+02:00"), schedule.NextAfter(At("2026-10-24T12:00:00+02:00")));
        Assert.Equal(At("2026-10-26T02:30:00+01:00"), schedule.NextAfter(At("2026-10-25T02:30:00+02:00")));
        Assert.Equal(At("2026-10-26T02:30:00+01:00"), schedule.NextAfter(At("2026-10-25T02:10:00+01:00")));
    }

    [Theory]
    [InlineData("America/Santiago", "2026-09-05T12:00:00-04:00", "2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00")]
    [InlineData("America/Havana", "2026-03-07T12:00:00-05:00", "2026-03-08T01:00:00-04:00", "2026-03-09T00:00:00-04:00")]
    [InlineData("Asia/Beirut", "2026-03-28T12:00:00+02:00", "2026-03-29T01:00:00+03:00", "2026-03-30T00:00:00+03:00")]
    public void MidnightSkippedBySpringForwardFiresAtTheEndOfTheGap(string zone, string start, string shifted, string following) =>
        AssertOccurrences(CalendarSchedule.Daily(Midnight, zone), start, shifted, following);

    [Fact]
    public void TimeInsideAGapIsShiftedForwardByTheGapLength() =>
        AssertOccurrences(CalendarSchedule.Monthly(6, new LocalTime(0, 30), "America/Santiago"), "2026-08-10T00:00:00-04:00",
            "2026-09-06T01:30:00-03:00", "2026-10-06T00:30:00-03:00");

    [Fact]
    public void FallBackAcrossMidnightInOldStJohnsRulesFiresOnceAndSkipsTheRepeat()
    {
        // Until 2011 St. John's fell back at 00:01 to 23:01 the previous day, so 00:00 on 2006-10-29 came twice.
        var schedule = CalendarSchedule.Daily(Midnight, "America/St_Johns");
        Assert.Equal(At("2006-10-29T00:00:00-02:30"), schedule.NextAfter(At("2006-10-28T23:30:00-02:30")));
        Assert.Equal(At("2006-10-30T00:00:00-03:30"), schedule.NextAfter(At("2006-10-29T00:00:00-02:30")));
        Assert.Equal(At("2006-10-30T00:00:00-03:30"), schedule.NextAfter(At("2006-10-28T23:30:00-03:30")));
    }

    [Fact]
    public void OccurrenceShiftedPastMidnightIsNotSkippedWhenAskedFromTheNextDay()
    {
        // Nuuk springs forward at Saturday 23:00 to Sunday 00:00, so Saturday's 23:30 fires at Sunday 00:30.
        var schedule = CalendarSchedule.Daily(new LocalTime(23, 30), "America/Nuuk");
        Assert.Equal(At("2026-03-29T00:30:00-01:00"), schedule.NextAfter(At("2026-03-29T00:10:00-01:00")));
        Assert.Equal(At("2026-03-29T23:30:00-01:00"), schedule.NextAfter(At("2026-03-29T00:30:00-01:00")));
    }

    [Fact]
    public void SkippedCalendarDayInSamoaYieldsOneOccurrenceNotTwo() =>
        // Pacific/Apia jumped from 2011-12-29 24:00 (-10) to 12-31 00:00 (+14): December 30 never happened.
        AssertOccurrences(CalendarSchedule.Daily(new LocalTime(12, 0), "Pacific/Apia"), "2011-12-29T00:00:00-10:00",
            "2011-12-29T12:00:00-10:00", "2011-12-31T12:00:00+14:00", "2012-01-01T12:00:00+14:00");

    [Fact]
    public void NextAfterAnExactOccurrenceReturnsTheFollowingOne()
    {
        var schedule = CalendarSchedule.Monthly(1, Midnight, "Europe/Amsterdam");
        Instant occurrence = At("2026-04-01T00:00:00+02:00");
        Assert.Equal(occurrence, schedule.NextAfter(occurrence - Duration.Epsilon));
        Assert.Equal(At("2026-05-01T00:00:00+02:00"), schedule.NextAfter(occurrence));
    }

    [Fact]
    public void DateTimeOffsetResultUsesUtcWhenTheZoneOffsetHasSeconds()
    {
        // Paris kept Paris mean time (+00:09:21) until 1911, which DateTimeOffset cannot represent.
        DateTimeOffset next = CalendarSchedule.Daily(new LocalTime(12, 0), "Europe/Paris").NextAfter(Dto("1905-01-01T00:00:00Z"));
        Assert.Equal(TimeSpan.Zero, next.Offset);
        Assert.Equal(Dto("1905-01-01T11:50:39Z"), next);
    }

    [Theory]
    [InlineData("monthly day=last at=00:00 zone=Europe/Amsterdam")]
    [InlineData("monthly day=1 at=00:00 zone=UTC every=3 anchor=1")]
    [InlineData("monthly day=15 at=12:00:01 zone=Australia/Lord_Howe every=12 anchor=7")]
    [InlineData("weekly day=monday at=09:30 zone=Pacific/Auckland")]
    [InlineData("weekly day=sunday at=00:00 zone=America/St_Johns")]
    [InlineData("daily at=23:59:30 zone=America/Santiago")]
    public void CanonicalTextRoundTripsThroughParse(string text)
    {
        CalendarSchedule parsed = CalendarSchedule.Parse(text);
        Assert.Equal(text, parsed.ToString());
        Assert.Equal(parsed, CalendarSchedule.Parse(parsed.ToString()));
        Assert.True(CalendarSchedule.TryParse(text, out CalendarSchedule? tried));
        Assert.Equal(parsed, tried);
    }

    [Fact]
    public void FactoriesProduceTheDocumentedCanonicalText()
    {
        Assert.Equal("monthly day=last at=00:00 zone=Europe/Amsterdam", CalendarSchedule.MonthlyOnLastDay(Midnight, "Europe/Amsterdam").ToString());
        Assert.Equal("monthly day=1 at=00:00 zone=UTC every=3 anchor=1", CalendarSchedule.Monthly(1, Midnight, "UTC", 3, 1).ToString());
        Assert.Equal("weekly day=monday at=09:30 zone=Pacific/Auckland", CalendarSchedule.Weekly(IsoDayOfWeek.Monday, new LocalTime(9, 30), "Pacific/Auckland").ToString());
        Assert.Equal("daily at=23:59:30 zone=America/Santiago", CalendarSchedule.Daily(new LocalTime(23, 59, 30), "America/Santiago").ToString());
        Assert.Equal("America/Santiago", CalendarSchedule.Daily(Midnight, "America/Santiago").ZoneId);
    }

    [Theory]
    [InlineData("monthly day=31 at=00:00 zone=UTC", "monthly day=last at=00:00 zone=UTC")]
    [InlineData("monthly day=1 at=00:00 zone=UTC every=3 anchor=10", "monthly day=1 at=00:00 zone=UTC every=3 anchor=1")]
    [InlineData("monthly day=1 at=00:00 zone=UTC every=1 anchor=5", "monthly day=1 at=00:00 zone=UTC")]
    [InlineData("monthly day=01 at=00:00:00 zone=UTC every=6", "monthly day=1 at=00:00 zone=UTC every=6 anchor=1")]
    [InlineData("  monthly   zone=UTC at=08:00 anchor=2 day=last every=12 ", "monthly day=last at=08:00 zone=UTC every=12 anchor=2")]
    public void EquivalentSchedulesShareOneCanonicalText(string input, string canonical)
    {
        CalendarSchedule parsed = CalendarSchedule.Parse(input);
        Assert.Equal(canonical, parsed.ToString());
        Assert.True(parsed == CalendarSchedule.Parse(canonical));
        Assert.Equal(CalendarSchedule.Parse(canonical).GetHashCode(), parsed.GetHashCode());
    }

    [Fact]
    public void DifferentSchedulesAreNotEqual()
    {
        Assert.NotEqual(CalendarSchedule.Daily(Midnight, "UTC"), CalendarSchedule.Daily(Midnight, "Etc/UTC"));
        Assert.True(CalendarSchedule.Monthly(1, Midnight, "UTC") != CalendarSchedule.Monthly(2, Midnight, "UTC"));
        Assert.False(CalendarSchedule.Daily(Midnight, "UTC").Equals(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hourly at=00:00 zone=UTC")]
    [InlineData("Daily at=00:00 zone=UTC")]
    [InlineData("daily at=00:00")]
    [InlineData("daily zone=UTC")]
    [InlineData("daily at=24:00 zone=UTC")]
    [InlineData("daily at=9:30 zone=UTC")]
    [InlineData("daily at=09:30:00.5 zone=UTC")]
    [InlineData("daily at=00:00 zone=UTC at=01:00")]
    [InlineData("daily at=00:00 zone=UTC every=3")]
    [InlineData("daily at=00:00 zone=")]
    [InlineData("daily at=00:00 zone=UTC extra")]
    [InlineData("weekly at=00:00 zone=UTC")]
    [InlineData("weekly day=Monday at=00:00 zone=UTC")]
    [InlineData("weekly day=1 at=00:00 zone=UTC")]
    [InlineData("monthly day=0 at=00:00 zone=UTC")]
    [InlineData("monthly day=32 at=00:00 zone=UTC")]
    [InlineData("monthly day=+1 at=00:00 zone=UTC")]
    [InlineData("monthly day=first at=00:00 zone=UTC")]
    [InlineData("monthly day=1 at=00:00 zone=UTC every=5")]
    [InlineData("monthly day=1 at=00:00 zone=UTC every=3 anchor=13")]
    [InlineData("monthly day=1 at=00:00 zone=Mars/Olympus_Mons")]
    [InlineData("monthly day=1 at=00:00 zone=europe/amsterdam")]
    public void ParseRejectsMalformedTextWithFormatException(string text)
    {
        FormatException error = Assert.Throws<FormatException>(() => CalendarSchedule.Parse(text));
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.False(CalendarSchedule.TryParse(text, out CalendarSchedule? schedule));
        Assert.Null(schedule);
    }

    [Fact]
    public void ParseNamesTheUnknownZone() =>
        Assert.Contains("Mars/Olympus_Mons", Assert.Throws<FormatException>(() => CalendarSchedule.Parse("daily at=00:00 zone=Mars/Olympus_Mons")).Message, StringComparison.Ordinal);

    [Fact]
    public void TryParseOfNullIsFalse() => Assert.False(CalendarSchedule.TryParse(null, out _));

    [Fact]
    public void UnknownZoneIsRejectedNamingIt()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => CalendarSchedule.Daily(Midnight, "Europe/Atlantis"));
        Assert.Contains("Europe/Atlantis", error.Message, StringComparison.Ordinal);
        Assert.Equal("zoneId", error.ParamName);
        Assert.Throws<ArgumentNullException>(() => CalendarSchedule.Daily(Midnight, null!));
    }

    [Theory]
    [InlineData(0, 1, 1, "dayOfMonth")]
    [InlineData(32, 1, 1, "dayOfMonth")]
    [InlineData(-1, 1, 1, "dayOfMonth")]
    [InlineData(1, 0, 1, "everyMonths")]
    [InlineData(1, 5, 1, "everyMonths")]
    [InlineData(1, 24, 1, "everyMonths")]
    [InlineData(1, -3, 1, "everyMonths")]
    [InlineData(1, 3, 0, "anchorMonth")]
    [InlineData(1, 3, 13, "anchorMonth")]
    public void MonthlyArgumentsOutOfRangeNameTheParameter(int day, int every, int anchor, string parameter)
    {
        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => CalendarSchedule.Monthly(day, Midnight, "UTC", every, anchor)).ParamName);
        if (parameter != "dayOfMonth")
        {
            Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => CalendarSchedule.MonthlyOnLastDay(Midnight, "UTC", every, anchor)).ParamName);
        }
    }

    [Fact]
    public void WeeklyRejectsANonWeekdayAndSubSecondTimesAreRejected()
    {
        Assert.Equal("day", Assert.Throws<ArgumentOutOfRangeException>(() => CalendarSchedule.Weekly(IsoDayOfWeek.None, Midnight, "UTC")).ParamName);
        Assert.Equal("day", Assert.Throws<ArgumentOutOfRangeException>(() => CalendarSchedule.Weekly((IsoDayOfWeek)8, Midnight, "UTC")).ParamName);
        Assert.Equal("at", Assert.Throws<ArgumentOutOfRangeException>(() => CalendarSchedule.Daily(new LocalTime(1, 2, 3, 4), "UTC")).ParamName);
    }

    [Fact]
    public void NoTzdbOffsetJumpsForwardByMoreThanADay()
    {
        // NextAfter relies on occurrences being non-decreasing in date order, which holds while no zone's
        // offset rises by more than 24 hours (Manila 1844, Kwajalein 1993 and Apia 2011 rose exactly 24).
        foreach (string id in DateTimeZoneProviders.Tzdb.Ids)
        {
            ZoneInterval? previous = null;
            foreach (ZoneInterval interval in DateTimeZoneProviders.Tzdb[id].GetZoneIntervals(Instant.MinValue, Instant.FromUtc(2101, 1, 1, 0, 0)))
            {
                if (previous is not null)
                {
                    int rise = interval.WallOffset.Seconds - previous.WallOffset.Seconds;
                    Assert.True(rise <= 86_400, $"{id} rises by {rise} s at {interval.Start}");
                }
                previous = interval;
            }
        }
    }

    // ---- Property tests --------------------------------------------------------------------------------

    private const ulong Seed = 20_260_215;

    private static readonly string[] Zones =
    [
        "Europe/Amsterdam", "Europe/London", "Europe/Dublin", "America/New_York", "America/St_Johns", "America/Goose_Bay",
        "America/Santiago", "America/Havana", "America/Asuncion", "America/Sao_Paulo", "America/Nuuk", "America/Adak",
        "Pacific/Auckland", "Pacific/Chatham", "Pacific/Apia", "Australia/Adelaide", "Australia/Lord_Howe", "Australia/Sydney",
        "Asia/Kolkata", "Asia/Kathmandu", "Asia/Beirut", "Asia/Tehran", "Asia/Gaza", "Africa/Cairo", "Africa/Casablanca",
        "Antarctica/Troll", "Pacific/Kiritimati", "UTC",
    ];

    /// <summary>A generated schedule plus the raw parameters the brute force checks it against.</summary>
    public sealed record Case(string Zone, int Kind, IsoDayOfWeek Weekday, int Day, LocalTime At, int Every, int Anchor, Instant Start)
    {
        public CalendarSchedule Schedule => Kind switch
        {
            0 => CalendarSchedule.Daily(At, Zone),
            1 => CalendarSchedule.Weekly(Weekday, At, Zone),
            _ => Day == 0 ? CalendarSchedule.MonthlyOnLastDay(At, Zone, Every, Anchor) : CalendarSchedule.Monthly(Day, At, Zone, Every, Anchor),
        };

        public override string ToString() => $"{Schedule} every={Every} anchor={Anchor} from {Start}";
    }

    private static Config PropertyConfig(int runs) =>
        Config.QuickThrowOnFailure.WithMaxTest(runs).WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed), FSharpOption<int>.None)));

    private static readonly Lazy<(string Zone, Instant When)[]> AllTransitions = new(() =>
        [.. Zones.SelectMany(id => DateTimeZoneProviders.Tzdb[id]
            .GetZoneIntervals(Instant.FromUtc(2000, 1, 1, 0, 0), Instant.FromUtc(2041, 1, 1, 0, 0))
            .Where(i => i.HasStart && i.Start > Instant.FromUtc(2000, 1, 1, 0, 0))
            .Select(i => (id, i.Start)))]);

    // Transitions whose skipped or repeated stretch touches or crosses midnight: the awkward ones for date scans.
    private static readonly Lazy<(string Zone, Instant When)[]> MidnightTransitions = new(() =>
        [.. AllTransitions.Value.Where(t =>
        {
            DateTimeZone zone = DateTimeZoneProviders.Tzdb[t.Zone];
            LocalDateTime before = t.When.WithOffset(zone.GetUtcOffset(t.When - Duration.Epsilon)).LocalDateTime;
            LocalDateTime after = t.When.InZone(zone).LocalDateTime;
            return before.Date != after.Date || before.TimeOfDay == Midnight || after.TimeOfDay == Midnight;
        })]);

    private static Gen<Case> Cases() => Gen.OneOf(RandomCases(), TransitionCases());

    // Broad coverage: any zone, any start in 2000-2040, any schedule shape.
    private static Gen<Case> RandomCases() =>
        from zone in Gen.Elements(Zones)
        from startSeconds in Gen.Choose(0, 1_293_839_999)
        from hour in Gen.OneOf(Gen.Elements(0, 1, 2, 3, 23), Gen.Choose(0, 23))
        from minute in Gen.OneOf(Gen.Elements(0, 1, 30, 59), Gen.Choose(0, 59))
        from second in Gen.Elements(0, 0, 0, 30)
        from kind in Gen.Choose(0, 2)
        from weekday in Gen.Choose(1, 7)
        from day in Gen.OneOf(Gen.Elements(0, 1, 28, 29, 30, 31), Gen.Choose(1, 31))
        from every in Gen.Elements(1, 1, 2, 3, 4, 6, 12)
        from anchor in Gen.Choose(1, 12)
        select new Case(zone, kind, (IsoDayOfWeek)weekday, day, new LocalTime(hour, minute, second), every, anchor,
            Instant.FromUtc(2000, 1, 1, 0, 0) + Duration.FromSeconds(startSeconds));

    // Targeted coverage: a real transition, a time of day near its clock readings (often inside the gap or the
    // repeated hour), a schedule that fires on or next to its date, and a start near it.
    private static Gen<Case> TransitionCases() =>
        from transition in Gen.OneOf(Gen.Elements(AllTransitions.Value), Gen.Elements(MidnightTransitions.Value))
        from afterSide in Gen.Elements(false, true)
        from nudgeMinutes in Gen.Choose(-90, 90)
        from second in Gen.Elements(0, 0, 30)
        from dayShift in Gen.Elements(-1, 0, 0, 1)
        from kind in Gen.Choose(0, 2)
        from lastDay in Gen.Elements(false, false, true)
        from every in Gen.Elements(1, 3, 12)
        from startOffset in Gen.OneOf(Gen.Choose(-4 * 86_400, 4 * 86_400), Gen.Choose(-7_200, 7_200))
        select NearTransition(transition, afterSide, nudgeMinutes, second, dayShift, kind, lastDay, every, startOffset);

    private static Case NearTransition((string Zone, Instant When) transition, bool afterSide, int nudgeMinutes, int second,
        int dayShift, int kind, bool lastDay, int every, int startOffset)
    {
        DateTimeZone zone = DateTimeZoneProviders.Tzdb[transition.Zone];
        Instant side = afterSide ? transition.When : transition.When - Duration.Epsilon;
        LocalDateTime local = transition.When.WithOffset(zone.GetUtcOffset(side)).LocalDateTime.PlusMinutes(nudgeMinutes);
        LocalDate date = local.Date.PlusDays(dayShift);
        return new Case(transition.Zone, kind, date.DayOfWeek, lastDay ? 0 : date.Day, new LocalTime(local.Hour, local.Minute, second),
            every, date.Month, transition.When + Duration.FromSeconds(startOffset));
    }

    private static Instant ResolveIndependently(DateTimeZone zone, LocalDateTime local)
    {
        ZoneLocalMapping mapping = zone.MapLocal(local);
        return mapping.Count switch
        {
            1 => mapping.Single().ToInstant(),
            2 => mapping.First().ToInstant(),
            // In a gap, reading the clock with the offset from before the gap lands just after the transition.
            _ => local.WithOffset(mapping.EarlyInterval.WallOffset).ToInstant(),
        };
    }

    private static bool Qualifies(Case c, LocalDate date)
    {
        int last = CalendarSystem.Iso.GetDaysInMonth(date.Year, date.Month);
        return c.Kind switch
        {
            0 => true,
            1 => date.DayOfWeek == c.Weekday,
            _ => ((date.Month - c.Anchor) % c.Every + c.Every) % c.Every == 0 && date.Day == (c.Day == 0 ? last : Math.Min(c.Day, last)),
        };
    }

    // Every occurrence in (start, end], found by walking each local date and resolving it independently.
    private static List<Instant> BruteForce(Case c, Instant end)
    {
        DateTimeZone zone = DateTimeZoneProviders.Tzdb[c.Zone];
        var found = new SortedSet<Instant>();
        for (LocalDate d = c.Start.InZone(zone).Date.PlusDays(-3); d <= end.InZone(zone).Date.PlusDays(1); d = d.PlusDays(1))
        {
            if (Qualifies(c, d))
            {
                Instant instant = ResolveIndependently(zone, d + c.At);
                if (instant > c.Start && instant <= end)
                {
                    found.Add(instant);
                }
            }
        }
        return [.. found];
    }

    private static void CheckIteration(Case c)
    {
        CalendarSchedule schedule = c.Schedule;
        DateTimeZone zone = DateTimeZoneProviders.Tzdb[c.Zone];
        var occurrences = new List<Instant>();
        Instant t = c.Start;
        for (int i = 0; i < 40; i++)
        {
            Instant next = schedule.NextAfter(t);
            Assert.True(next > t, $"{c}: NextAfter({t}) returned {next}");
            occurrences.Add(next);
            t = next;
        }
        Assert.Equal(BruteForce(c, t), occurrences);
        foreach (Instant occurrence in occurrences)
        {
            LocalDateTime local = occurrence.InZone(zone).LocalDateTime;
            bool inGap = zone.MapLocal(local.Date + c.At).Count == 0 || zone.MapLocal(local.Date.PlusDays(-1) + c.At).Count == 0;
            Assert.True(local.TimeOfDay == c.At || inGap, $"{c}: {occurrence} is {local} locally");
        }
        Assert.Equal(occurrences[0].ToDateTimeOffset(), schedule.NextAfter(c.Start.ToDateTimeOffset()));
        CheckProbes(c, schedule, zone, occurrences);
    }

    // Inputs that iteration never passes: just before and after each occurrence, between occurrences, and at
    // each offset transition. NextAfter of each must be the first occurrence after it.
    private static void CheckProbes(Case c, CalendarSchedule schedule, DateTimeZone zone, List<Instant> occurrences)
    {
        Instant last = occurrences[^1];
        var probes = new List<Instant>();
        for (int i = 0; i < occurrences.Count; i++)
        {
            Instant previous = i == 0 ? c.Start : occurrences[i - 1];
            probes.AddRange([occurrences[i] - Duration.Epsilon, previous + Duration.Epsilon, previous + (occurrences[i] - previous) / 2]);
        }
        foreach (ZoneInterval interval in zone.GetZoneIntervals(c.Start, last).Where(z => z.HasStart && z.Start > c.Start))
        {
            probes.AddRange([interval.Start - Duration.Epsilon, interval.Start, interval.Start + Duration.Epsilon]);
        }
        foreach (Instant probe in probes.Where(p => p >= c.Start && p < last))
        {
            Instant expected = occurrences.First(o => o > probe);
            Assert.True(expected == schedule.NextAfter(probe), $"{c}: NextAfter({probe}) is {schedule.NextAfter(probe)}, expected {expected}");
        }
    }

    [Fact]
    public void IteratingNextAfterVisitsEveryOccurrenceOnceInIncreasingOrder() =>
        Check.One(PropertyConfig(1_000), Prop.ForAll(Cases().ToArbitrary(), (Action<Case>)CheckIteration));

    [Fact]
    public void EveryScheduleRoundTripsThroughItsCanonicalText() =>
        Check.One(PropertyConfig(300), Prop.ForAll(Cases().ToArbitrary(), (Case c) =>
        {
            CalendarSchedule schedule = c.Schedule;
            CalendarSchedule parsed = CalendarSchedule.Parse(schedule.ToString());
            Assert.Equal(schedule, parsed);
            Assert.Equal(schedule.ToString(), parsed.ToString());
            Assert.Equal(schedule.NextAfter(c.Start), parsed.NextAfter(c.Start));
        }));
}
