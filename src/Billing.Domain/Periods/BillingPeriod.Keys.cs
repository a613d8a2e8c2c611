using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Calendars;
using NodaTime.Text;

namespace Billing.Domain;

public sealed partial record BillingPeriod
{
    /// <summary>Years a period key may name: enough history and future for billing, no further.</summary>
    public const int MinKeyYear = 1970;

    public const int MaxKeyYear = 2999;

    /// <summary>The API's name of the argument holding a period key.</summary>
    public const string KeyField = "period";

    private const int MonthsPerQuarter = 3;
    private const int MaxShownKeyLength = 16;
    private const string KeyShapes = "a month like 2025-06, an ISO week like 2025-W23 or a quarter like 2025-Q2";

    /// <summary>
    /// A stable name of the period within its zone: "2025-06" (month), "2025-W23" (ISO week, whose
    /// year is the ISO week-year), "2025-Q2" (quarter); "2026-09-06..2026-09-07" for a custom span.
    /// </summary>
    public string Key => Cycle switch
    {
        BillingCycle.Weekly => string.Create(
            CultureInfo.InvariantCulture, $"{WeekYearRules.Iso.GetWeekYear(Start):D4}-W{WeekYearRules.Iso.GetWeekOfWeekYear(Start):D2}"),
        BillingCycle.Monthly => string.Create(CultureInfo.InvariantCulture, $"{Start.Year:D4}-{Start.Month:D2}"),
        BillingCycle.Quarterly => string.Create(CultureInfo.InvariantCulture, $"{Start.Year:D4}-Q{QuarterOf(Start.Month)}"),
        _ => $"{LocalDatePattern.Iso.Format(Start)}..{LocalDatePattern.Iso.Format(EndExclusive)}",
    };

    /// <summary>
    /// Reads a key such as "2025-06", "2025-W23" or "2025-Q2" (the cycle follows from its shape; W
    /// and Q in either case) into the period of that cycle in the zone; throws
    /// <see cref="FormatException"/> with the same message <see cref="TryParse"/> gives.
    /// </summary>
    public static BillingPeriod Parse(string key, string zoneId) =>
        TryParse(key, zoneId, out var period, out var error) ? period : throw new FormatException(error.Message);

    /// <summary>Reads a key from a client; on failure the error is for the <see cref="KeyField"/> field.</summary>
    public static bool TryParse(
        string? key, string zoneId, [NotNullWhen(true)] out BillingPeriod? period, [NotNullWhen(false)] out FieldError? error)
    {
        var start = ParseStart(key, out var cycle, out var problem);
        period = start is { } date ? new BillingPeriod(date, Advance(date, cycle, 1), zoneId) : null;
        error = problem is null ? null : new FieldError(KeyField, problem);
        return period is not null;
    }

    private static LocalDate? ParseStart(string? key, out BillingCycle cycle, out string? problem)
    {
        cycle = BillingCycle.Monthly;
        problem = null;
        var match = key is null || key.Length > MaxShownKeyLength ? Match.Empty : KeyPattern().Match(key);
        if (!match.Success)
        {
            problem = key is null ? $"{KeyField} is required; use {KeyShapes}" : $"{KeyField} '{ShownText.Clip(key, MaxShownKeyLength)}' is not {KeyShapes}";
            return null;
        }

        var year = Number(match.Groups["year"]);
        if (year is < MinKeyYear or > MaxKeyYear)
        {
            problem = $"{KeyField} year must be between {MinKeyYear} and {MaxKeyYear}";
            return null;
        }

        if (match.Groups["week"].Success)
        {
            cycle = BillingCycle.Weekly;
            return IsoWeekStart(year, Number(match.Groups["week"]), out problem);
        }

        if (match.Groups["quarter"].Success)
        {
            cycle = BillingCycle.Quarterly;
            return new LocalDate(year, ((Number(match.Groups["quarter"]) - 1) * MonthsPerQuarter) + 1, 1);
        }

        var month = Number(match.Groups["month"]);
        problem = month is < 1 or > 12 ? $"{KeyField} month must be between 01 and 12" : null;
        return problem is null ? new LocalDate(year, month, 1) : null;
    }

    private static LocalDate? IsoWeekStart(int weekYear, int week, out string? problem)
    {
        problem = null;
        var weeks = WeekYearRules.Iso.GetWeeksInWeekYear(weekYear);
        if (week >= 1 && week <= weeks)
        {
            return WeekYearRules.Iso.GetLocalDate(weekYear, week, IsoDayOfWeek.Monday);
        }

        problem = $"{KeyField} week must be between W01 and W{weeks:D2}: ISO year {weekYear} has {weeks} weeks";
        return null;
    }

    private static int QuarterStartMonth(int month) => (((month - 1) / MonthsPerQuarter) * MonthsPerQuarter) + 1;

    private static int QuarterOf(int month) => ((month - 1) / MonthsPerQuarter) + 1;

    private static int Number(Group digits) => int.Parse(digits.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex("^(?<year>[0-9]{4})-(?:(?<month>[0-9]{2})|[Ww](?<week>[0-9]{2})|[Qq](?<quarter>[1-4]))$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
