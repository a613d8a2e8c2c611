using NodaTime;

namespace Billing.Domain;

/// <summary>
/// A half-open span of local dates [Start, EndExclusive) in one IANA zone, with the instants it
/// covers. Local midnights are resolved leniently, so a period boundary inside a DST gap moves to
/// the end of the gap and consecutive periods still tile time without gap or overlap.
/// A span that is exactly one ISO week, calendar month or calendar quarter has that
/// <see cref="Cycle"/>; any other span (a custom one) has none and cannot step to a neighbour.
/// A zone bridge (see <see cref="After"/>) starts at an explicit instant, another zone's midnight,
/// rather than at its first local midnight; its dates, key and cycle are still those of its days.
/// </summary>
public sealed partial record BillingPeriod
{
    /// <param name="startInstant">Null: the local midnight of <paramref name="start"/>; else an instant near it (a zone bridge).</param>
    /// <param name="endInstant">Null: the local midnight of <paramref name="endExclusive"/>; else an instant near it.</param>
    public BillingPeriod(LocalDate start, LocalDate endExclusive, string zoneId, Instant? startInstant = null, Instant? endInstant = null)
    {
        if (endExclusive <= start)
        {
            throw new ArgumentException($"A billing period ends after it starts: {start} .. {endExclusive}.", nameof(endExclusive));
        }

        var zone = ZoneOf(zoneId);
        Start = start;
        EndExclusive = endExclusive;
        ZoneId = zoneId;
        Zone = zone;
        Cycle = CycleOf(start, endExclusive);
        StartInstant = startInstant ?? StartOfDay(zone, start);
        EndInstant = endInstant ?? StartOfDay(zone, endExclusive);
        if (startInstant is not null || endInstant is not null)
        {
            CheckExplicitBounds();
        }
    }

    public LocalDate Start { get; }

    public LocalDate EndExclusive { get; }

    public string ZoneId { get; }

    public DateTimeZone Zone { get; }

    public Instant StartInstant { get; }

    public Instant EndInstant { get; }

    /// <summary>The calendar cycle this span is one period of; null for a custom span.</summary>
    public BillingCycle? Cycle { get; }

    /// <summary>Elapsed time, which DST changes make differ from the count of local days × 24 h.</summary>
    public Duration Length => EndInstant - StartInstant;

    /// <summary>The period of <paramref name="cycle"/> holding <paramref name="instant"/> in the zone.</summary>
    public static BillingPeriod Containing(Instant instant, BillingCycle cycle, string zoneId)
    {
        var period = Containing(instant.InZone(ZoneOf(zoneId)).Date, cycle, zoneId);

        // Where clocks go back across midnight, the last local hour of a period recurs after the
        // next period has begun. The instants decide, so every instant is in exactly one period.
        if (instant >= period.EndInstant)
        {
            return period.Next();
        }

        return instant < period.StartInstant ? period.Previous() : period;
    }

    /// <summary>The period of <paramref name="cycle"/> holding the local <paramref name="date"/>.</summary>
    public static BillingPeriod Containing(LocalDate date, BillingCycle cycle, string zoneId)
    {
        var start = CycleStart(date, cycle);
        return new BillingPeriod(start, Advance(start, cycle, 1), zoneId);
    }

    /// <summary>The calendar month holding <paramref name="instant"/> in the zone.</summary>
    public static BillingPeriod MonthContaining(Instant instant, string zoneId) => Containing(instant, BillingCycle.Monthly, zoneId);

    /// <summary>The period of the same cycle that starts where this one ends.</summary>
    public BillingPeriod Next()
    {
        var cycle = RequireCycle(nameof(Next));
        return new BillingPeriod(EndExclusive, Advance(EndExclusive, cycle, 1), ZoneId, startInstant: EndInstant);
    }

    /// <summary>The period of the same cycle that ends where this one starts.</summary>
    public BillingPeriod Previous()
    {
        var cycle = RequireCycle(nameof(Previous));
        return new BillingPeriod(Advance(Start, cycle, -1), Start, ZoneId, endInstant: StartInstant);
    }

    public bool Contains(Instant instant) => instant >= StartInstant && instant < EndInstant;

    public LocalDate LocalDateOf(Instant instant) => instant.InZone(Zone).Date;

    /// <summary>The last local date of the period, as invoices print it ("2024-01-01 to 2024-01-07").</summary>
    public LocalDate LastDay => EndExclusive.PlusDays(-1);

    public override string ToString() =>
        IsBridge ? $"{Start:yyyy-MM-dd}..{EndExclusive:yyyy-MM-dd} {ZoneId} ({StartInstant}..{EndInstant})" : $"{Start:yyyy-MM-dd}..{EndExclusive:yyyy-MM-dd} {ZoneId}";

    internal static DateTimeZone ZoneOf(string zoneId) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? throw new ArgumentException($"Unknown IANA time zone '{zoneId}'.", nameof(zoneId));

    /// <summary>
    /// The first instant of the local date. Ambiguous midnight: the earlier one. Skipped midnight:
    /// the end of the gap, also when the gap swallows the whole day (Pacific/Apia, 2011-12-30),
    /// where NodaTime's AtStartOfDay would throw.
    /// </summary>
    private static Instant StartOfDay(DateTimeZone zone, LocalDate date)
    {
        var mapping = zone.MapLocal(date.AtMidnight());
        return mapping.Count == 0 ? mapping.LateInterval.Start : mapping.First().ToInstant();
    }

    private static LocalDate CycleStart(LocalDate date, BillingCycle cycle) => cycle switch
    {
        BillingCycle.Weekly => date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)),
        BillingCycle.Monthly => new LocalDate(date.Year, date.Month, 1),
        BillingCycle.Quarterly => new LocalDate(date.Year, QuarterStartMonth(date.Month), 1),
        _ => throw new ArgumentOutOfRangeException(nameof(cycle), cycle, "Unknown billing cycle."),
    };

    private static LocalDate Advance(LocalDate start, BillingCycle cycle, int periods) => cycle switch
    {
        BillingCycle.Weekly => start.PlusWeeks(periods),
        BillingCycle.Monthly => start.PlusMonths(periods),
        BillingCycle.Quarterly => start.PlusMonths(MonthsPerQuarter * periods),
        _ => throw new ArgumentOutOfRangeException(nameof(cycle), cycle, "Unknown billing cycle."),
    };

    private static BillingCycle? CycleOf(LocalDate start, LocalDate endExclusive)
    {
        foreach (var cycle in BillingCycles.All)
        {
            if (CycleStart(start, cycle) == start && Advance(start, cycle, 1) == endExclusive)
            {
                return cycle;
            }
        }

        return null;
    }

    private BillingCycle RequireCycle(string operation) =>
        Cycle ?? throw new InvalidOperationException($"{operation} needs a weekly, monthly or quarterly period; {this} is a custom span.");
}
