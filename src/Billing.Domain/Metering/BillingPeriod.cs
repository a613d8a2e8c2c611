using NodaTime;

namespace Billing.Domain;

/// <summary>
/// A half-open span of local dates [Start, EndExclusive) in one IANA zone, with the instants it
/// covers. Local midnights are resolved leniently, so a period boundary inside a DST gap moves to
/// the end of the gap and consecutive periods still tile time without gap or overlap.
/// </summary>
public sealed record BillingPeriod
{
    public BillingPeriod(LocalDate start, LocalDate endExclusive, string zoneId)
    {
        if (endExclusive <= start)
        {
            throw new ArgumentException($"A billing period ends after it starts: {start} .. {endExclusive}.", nameof(endExclusive));
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? throw new ArgumentException($"Unknown IANA time zone '{zoneId}'.", nameof(zoneId));
        Start = start;
        EndExclusive = endExclusive;
        ZoneId = zoneId;
        Zone = zone;
        StartInstant = zone.AtStartOfDay(start).ToInstant();
        EndInstant = zone.AtStartOfDay(endExclusive).ToInstant();
    }

    public LocalDate Start { get; }

    public LocalDate EndExclusive { get; }

    public string ZoneId { get; }

    public DateTimeZone Zone { get; }

    public Instant StartInstant { get; }

    public Instant EndInstant { get; }

    /// <summary>The calendar month holding <paramref name="instant"/> in the zone.</summary>
    public static BillingPeriod MonthContaining(Instant instant, string zoneId)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? throw new ArgumentException($"Unknown IANA time zone '{zoneId}'.", nameof(zoneId));
        var date = instant.InZone(zone).Date;
        var start = new LocalDate(date.Year, date.Month, 1);
        return new BillingPeriod(start, start.PlusMonths(1), zoneId);
    }

    public bool Contains(Instant instant) => instant >= StartInstant && instant < EndInstant;

    public LocalDate LocalDateOf(Instant instant) => instant.InZone(Zone).Date;

    public override string ToString() => $"{Start:yyyy-MM-dd}..{EndExclusive:yyyy-MM-dd} {ZoneId}";
}
