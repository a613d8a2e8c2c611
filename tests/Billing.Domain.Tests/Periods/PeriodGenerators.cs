using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Billing.Domain.Tests.Periods;

/// <summary>Zones with awkward rules and instants from 2000 to 2040, most of them close to a zone's offset changes.</summary>
internal static class PeriodGenerators
{
    /// <summary>
    /// Half-hour and 45-minute offsets, southern-hemisphere and half-hour DST, date-line moves,
    /// Ramadan suspensions, midnight transitions, negative DST and fall-backs across midnight.
    /// </summary>
    public static readonly string[] ZoneIds =
    [
        "Europe/Amsterdam", "America/Sao_Paulo", "Pacific/Auckland", "Pacific/Apia", "America/St_Johns",
        "Asia/Kathmandu", "Australia/Lord_Howe", "America/Nuuk", "Africa/Casablanca", "UTC",
        "America/Santiago", "America/Havana", "Asia/Beirut", "America/Asuncion", "Asia/Tehran",
        "Europe/Dublin", "Pacific/Chatham", "Antarctica/Troll", "Pacific/Kiritimati", "America/Goose_Bay",
    ];

    private const int NearMinutes = 3 * 60;
    private const int FarMinutes = 2 * 24 * 60;

    private static readonly Instant From = Instant.FromUtc(2000, 1, 1, 0, 0);
    private static readonly Instant Until = Instant.FromUtc(2041, 1, 1, 0, 0);
    private static readonly int SpanSeconds = (int)(Until - From).TotalSeconds;

    /// <summary>Every offset change of <see cref="ZoneIds"/> from 2000 to 2040.</summary>
    public static IReadOnlyList<(string ZoneId, Instant At)> Transitions { get; } =
    [
        .. from zoneId in ZoneIds
           from interval in DateTimeZoneProviders.Tzdb[zoneId].GetZoneIntervals(From, Until)
           where interval.HasStart && interval.Start > From
           select (zoneId, interval.Start),
    ];

    public static Gen<BillingCycle> Cycles { get; } = Gen.Elements(BillingCycles.All.ToArray());

    /// <summary>A quarter anywhere in 2000..2040, the rest near a transition, many to the tick.</summary>
    public static Gen<(string ZoneId, Instant Instant)> ZonedInstants { get; } = Gen.Frequency(
        (1, from zoneId in Gen.Elements(ZoneIds) from instant in Anywhere select (zoneId, instant)),
        (3, from transition in Gen.Elements(Transitions.ToArray())
            from offset in Offsets
            select (transition.ZoneId, transition.At + offset)));

    private static Gen<Instant> Anywhere { get; } =
        from seconds in Gen.Choose(0, SpanSeconds - 1)
        from ticks in Gen.Choose(0, (int)NodaConstants.TicksPerSecond - 1)
        select From + Duration.FromSeconds(seconds) + Duration.FromTicks(ticks);

    private static Gen<Duration> Offsets { get; } = Gen.Frequency(
        (2, Gen.Elements(-Duration.Epsilon, Duration.Zero, Duration.Epsilon)),
        (3, Gen.Choose(-NearMinutes, NearMinutes).Select(minutes => Duration.FromMinutes(minutes))),
        (1, Gen.Choose(-FarMinutes, FarMinutes).Select(minutes => Duration.FromMinutes(minutes))));
}
