using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace Billing.Domain;

/// <summary>
/// A wall-clock schedule for durable reminders (daily, weekly, or every N months on a day of the month),
/// evaluated in an IANA zone. Its canonical text (<see cref="ToString"/>) is what gets stored, so it is
/// also its identity: two schedules are equal exactly when they produce the same text.
/// </summary>
public sealed class CalendarSchedule : IEquatable<CalendarSchedule>
{
    private enum Kind { Daily, Weekly, Monthly }

    // Monthly day 0 stands for "last day of the month".
    private const int LastDay = 0;

    // The scan starts two days before the input's local date d, since a time in a gap is shifted forward, maybe
    // onto the next date (America/Nuuk skips Saturday 23:00-24:00; Pacific/Apia skipped all of 2011-12-30).
    // Daily then needs d-2..d+2; d+2 only when a fall-back crosses midnight (America/St_Johns went 00:01 -> 23:01
    // until 2011), as d+1's occurrence is then its first pass, before an input in the repeated hour.
    private const int MaxCandidates = 5;

    private static readonly LocalTimePattern SecondsPattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm':'ss");
    private static readonly LocalTimePattern MinutesPattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");
    private static readonly string[] WeekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    // The keys each kind accepts; all but monthly's trailing every/anchor are required.
    private static readonly Dictionary<string, string[]> KeysByKind = new(StringComparer.Ordinal)
    {
        ["daily"] = ["at", "zone"],
        ["weekly"] = ["day", "at", "zone"],
        ["monthly"] = ["day", "at", "zone", "every", "anchor"],
    };

    private readonly Kind kind;
    private readonly IsoDayOfWeek weekday;
    private readonly int dayOfMonth;
    private readonly LocalTime at;
    private readonly DateTimeZone zone;
    private readonly int everyMonths;
    private readonly int anchorMonth;
    private readonly string text;

    private CalendarSchedule(Kind kind, IsoDayOfWeek weekday, int dayOfMonth, LocalTime at, string zoneId, int everyMonths, int anchorMonth)
    {
        ArgumentNullException.ThrowIfNull(zoneId);
        // Sub-second times could not survive the canonical text, which stores whole seconds.
        if (at.TickOfSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, "The time of day must be a whole number of seconds.");
        }
        zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
            ?? throw new ArgumentException($"Unknown time zone id '{zoneId}' (expected an IANA id such as Europe/Amsterdam).", nameof(zoneId));
        this.kind = kind;
        this.weekday = weekday;
        this.at = at;
        ZoneId = zoneId;
        this.everyMonths = everyMonths;
        // Day 31 always clamps to the month's last day, and anchors congruent modulo everyMonths select the same
        // months: normalising both gives equivalent schedules one canonical text.
        this.dayOfMonth = dayOfMonth == 31 ? LastDay : dayOfMonth;
        this.anchorMonth = (anchorMonth - 1) % everyMonths + 1;
        text = Format();
    }

    public string ZoneId { get; }

    public static CalendarSchedule Daily(LocalTime at, string zoneId) =>
        new(Kind.Daily, IsoDayOfWeek.None, LastDay, at, zoneId, 1, 1);

    public static CalendarSchedule Weekly(IsoDayOfWeek day, LocalTime at, string zoneId)
    {
        if (day < IsoDayOfWeek.Monday || day > IsoDayOfWeek.Sunday)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, "The day must be Monday to Sunday.");
        }
        return new(Kind.Weekly, day, LastDay, at, zoneId, 1, 1);
    }

    /// <summary>On <paramref name="dayOfMonth"/> (1..31), clamped to the last day of shorter months.</summary>
    public static CalendarSchedule Monthly(int dayOfMonth, LocalTime at, string zoneId, int everyMonths = 1, int anchorMonth = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dayOfMonth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dayOfMonth, 31);
        ValidateMonths(everyMonths, anchorMonth);
        return new(Kind.Monthly, IsoDayOfWeek.None, dayOfMonth, at, zoneId, everyMonths, anchorMonth);
    }

    public static CalendarSchedule MonthlyOnLastDay(LocalTime at, string zoneId, int everyMonths = 1, int anchorMonth = 1)
    {
        ValidateMonths(everyMonths, anchorMonth);
        return new(Kind.Monthly, IsoDayOfWeek.None, LastDay, at, zoneId, everyMonths, anchorMonth);
    }

    /// <summary>The first occurrence strictly after <paramref name="instant"/>.</summary>
    public Instant NextAfter(Instant instant)
    {
        LocalDate date = FirstOnOrAfter(instant.InZone(zone).Date.PlusDays(-2));
        for (int i = 0; i < MaxCandidates; i++)
        {
            // Occurrences are non-decreasing in date order (no tzdb offset jump exceeds 24 hours), so the first
            // candidate past the input is the earliest; requiring "strictly after" also returns an instant shared
            // by two dates (a skipped day) only once.
            Instant candidate = Resolve(date);
            if (candidate > instant)
            {
                return candidate;
            }
            date = FirstOnOrAfter(date.PlusDays(1));
        }
        throw new InvalidOperationException($"No occurrence of '{text}' found after {instant} within {MaxCandidates} candidates.");
    }

    /// <summary>The first occurrence strictly after <paramref name="instant"/>, expressed in the schedule's zone offset.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset instant)
    {
        Instant next = NextAfter(Instant.FromDateTimeOffset(instant));
        // DateTimeOffset only holds whole-minute offsets within +-14h; historical local mean time offsets with
        // seconds would otherwise be truncated and move the instant, so those are given in UTC instead.
        int seconds = zone.GetUtcOffset(next).Seconds;
        bool representable = seconds % 60 == 0 && Math.Abs(seconds) <= 14 * 3600;
        DateTimeOffset utc = next.ToDateTimeOffset();
        return representable ? utc.ToOffset(TimeSpan.FromSeconds(seconds)) : utc;
    }

    public override string ToString() => text;

    public static CalendarSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out CalendarSchedule? schedule) is { } error
            ? throw new FormatException($"Invalid calendar schedule '{text}': {error}")
            : schedule!;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out CalendarSchedule? schedule)
    {
        schedule = null;
        return text is not null && TryParseCore(text, out schedule) is null;
    }

    public bool Equals(CalendarSchedule? other) => other is not null && string.Equals(text, other.text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as CalendarSchedule);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(text);

    public static bool operator ==(CalendarSchedule? left, CalendarSchedule? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(CalendarSchedule? left, CalendarSchedule? right) => !(left == right);

    private static void ValidateMonths(int everyMonths, int anchorMonth)
    {
        if (everyMonths < 1 || 12 % everyMonths != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(everyMonths), everyMonths, "everyMonths must divide 12 (1, 2, 3, 4, 6 or 12).");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(anchorMonth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(anchorMonth, 12);
    }

    // Lenient: a time in a gap moves forward by the gap's length, an ambiguous time takes its earlier instant.
    private Instant Resolve(LocalDate date) => zone.ResolveLocal(date + at, Resolvers.LenientResolver).ToInstant();

    // The first local date on or after `from` that carries an occurrence.
    private LocalDate FirstOnOrAfter(LocalDate from)
    {
        if (kind != Kind.Monthly)
        {
            return kind == Kind.Daily ? from : from.With(DateAdjusters.NextOrSame(weekday));
        }
        LocalDate firstOfMonth = new(from.Year, from.Month, 1);
        // Qualifying months recur at most 12 months apart, so the 13 months from `from`'s own onwards hold one.
        for (int i = 0; i <= 12; i++)
        {
            LocalDate month = firstOfMonth.PlusMonths(i);
            int last = CalendarSystem.Iso.GetDaysInMonth(month.Year, month.Month);
            LocalDate candidate = month.PlusDays((dayOfMonth == LastDay ? last : Math.Min(dayOfMonth, last)) - 1);
            if ((month.Month - anchorMonth + 12) % everyMonths == 0 && candidate >= from)
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"No month of '{text}' found within 13 months of {from}.");
    }

    private string Format()
    {
        string time = (at.Second == 0 ? MinutesPattern : SecondsPattern).Format(at);
        string common = $"at={time} zone={ZoneId}";
        return kind switch
        {
            Kind.Daily => $"daily {common}",
            Kind.Weekly => $"weekly day={WeekdayNames[(int)weekday - 1]} {common}",
            _ => $"monthly day={(dayOfMonth == LastDay ? "last" : dayOfMonth.ToString(CultureInfo.InvariantCulture))} {common}"
                + (everyMonths == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" every={everyMonths} anchor={anchorMonth}")),
        };
    }

    // Returns null on success, otherwise why the text is not a schedule. Keys may come in any order.
    private static string? TryParseCore(string text, [NotNullWhen(false)] out CalendarSchedule? schedule)
    {
        schedule = null;
        string[] tokens = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        string kind = tokens.Length > 0 ? tokens[0] : "";
        if (!KeysByKind.TryGetValue(kind, out string[]? allowed))
        {
            return "it must start with 'daily', 'weekly' or 'monthly'.";
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string token in tokens.Skip(1))
        {
            int eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == token.Length - 1 || !allowed.Contains(token[..eq]) || !fields.TryAdd(token[..eq], token[(eq + 1)..]))
            {
                return $"unexpected or repeated '{token}' (a {kind} schedule takes {string.Join(" ", allowed.Select(k => k + "="))}).";
            }
        }
        if (allowed.Take(3).FirstOrDefault(k => !fields.ContainsKey(k)) is { } missing)
        {
            return $"'{missing}=' is required.";
        }
        try
        {
            schedule = Build(kind, fields);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }

    // Throws ArgumentException (from the factories or the field parsers) when a value is invalid.
    private static CalendarSchedule Build(string kind, Dictionary<string, string> fields)
    {
        string zoneId = fields["zone"];
        ParseResult<LocalTime> parsed = (fields["at"].Length == 5 ? MinutesPattern : SecondsPattern).Parse(fields["at"]);
        LocalTime at = parsed.Success ? parsed.Value : throw new ArgumentException($"'at={fields["at"]}' is not a time of day in HH:mm or HH:mm:ss.");
        return kind switch
        {
            "daily" => Daily(at, zoneId),
            "weekly" => Weekly(ParseWeekday(fields["day"]), at, zoneId),
            _ when fields["day"] == "last" => MonthlyOnLastDay(at, zoneId, ParseNumber(fields, "every"), ParseNumber(fields, "anchor")),
            _ => Monthly(ParseNumber(fields, "day"), at, zoneId, ParseNumber(fields, "every"), ParseNumber(fields, "anchor")),
        };
    }

    private static IsoDayOfWeek ParseWeekday(string day) => Array.IndexOf(WeekdayNames, day) is var i and >= 0
        ? (IsoDayOfWeek)(i + 1)
        : throw new ArgumentException($"'day={day}' is not a lower-case weekday name such as monday.");

    // Absent optional fields take the factory defaults (every=1, anchor=1).
    private static int ParseNumber(Dictionary<string, string> fields, string key) =>
        !fields.TryGetValue(key, out string? value) ? 1
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number
        : throw new ArgumentException($"'{key}={value}' is not a whole number.");
}
