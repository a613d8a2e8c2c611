using NodaTime;

namespace Billing.Domain;

/// <summary>
/// Bridges: the first period after a change of cycle or zone, which starts where the last period
/// of the old terms ended, so periods tile time without gap or overlap whatever changed.
/// </summary>
public sealed partial record BillingPeriod
{
    /// <summary>
    /// How far an explicit bound may lie from its local date's midnight: two zones' midnights of one
    /// date are at most 36 h apart (UTC offsets stay within ±18 h), plus the odd skipped midnight.
    /// </summary>
    public static readonly Duration MaxBoundShift = Duration.FromDays(2);

    /// <summary>The shortest zone bridge: a shorter one is lengthened to the following boundary of its cycle.</summary>
    public static readonly Duration MinZoneBridgeLength = Duration.FromDays(1);

    /// <summary>Whether a bound is not its local date's midnight: a zone bridge, or a span cut at another period's start.</summary>
    public bool IsBridge => StartInstant != StartOfDay(Zone, Start) || EndInstant != StartOfDay(Zone, EndExclusive);

    /// <summary>
    /// The period that follows <paramref name="previous"/> when the terms from its end on are
    /// <paramref name="cycle"/> in <paramref name="zoneId"/>. It starts at the instant
    /// <paramref name="previous"/> ends and runs to the cycle's next boundary after that date.
    /// In the same zone that is the next calendar period, or a shorter bridge to the new cycle's
    /// first boundary after a cycle change. After a zone change (the customer moved) it keeps the
    /// local date of the old boundary and ends at the new zone's midnight: moving west it is longer
    /// by the difference in offsets (Amsterdam to New York: January from 31 December 23:00 UTC to
    /// 1 February 05:00 UTC), moving east shorter. The periods after it are plain calendar periods.
    /// </summary>
    public static BillingPeriod After(BillingPeriod previous, BillingCycle cycle, string zoneId)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var start = previous.EndExclusive;
        var end = Advance(CycleStart(start, cycle), cycle, 1);

        // Only a cycle change and an extreme move east together (a one-day bridge, a shift of more
        // than a day) leave too little; those days join the next period instead.
        if (zoneId != previous.ZoneId && StartOfDay(ZoneOf(zoneId), end) - previous.EndInstant < MinZoneBridgeLength)
        {
            end = Advance(end, cycle, 1);
        }

        return new BillingPeriod(start, end, zoneId, startInstant: previous.EndInstant);
    }

    /// <summary>
    /// The period's local day of <paramref name="instant"/>, one of its instants: hours of a zone
    /// bridge before its first local midnight count on its first day, those after its last
    /// midnight on its last day, so a period's days are always its own dates.
    /// </summary>
    public LocalDate DayOf(Instant instant)
    {
        var date = LocalDateOf(instant);
        return date < Start ? Start : date > LastDay ? LastDay : date;
    }

    /// <summary>This period cut (or stretched) to end at the local midnight of <paramref name="endExclusive"/>; it starts where it did.</summary>
    public BillingPeriod EndingAt(LocalDate endExclusive) => new(Start, endExclusive, ZoneId, startInstant: StartInstant);

    private void CheckExplicitBounds()
    {
        if (!IsNear(StartInstant, Start) || !IsNear(EndInstant, EndExclusive))
        {
            throw new ArgumentException($"A billing period's bounds lie within {MaxBoundShift.TotalHours} h of its dates' midnights: {this}.");
        }

        if (EndInstant <= StartInstant)
        {
            throw new ArgumentException($"A billing period ends after it starts: {this}.");
        }
    }

    private bool IsNear(Instant bound, LocalDate date)
    {
        var midnight = StartOfDay(Zone, date);
        return bound - midnight <= MaxBoundShift && midnight - bound <= MaxBoundShift;
    }
}
