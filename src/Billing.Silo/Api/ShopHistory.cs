using System.Globalization;
using Billing.Domain;
using NodaTime;

namespace Billing.Silo.Api;

/// <summary>
/// Shops whose life began or ended before the operator told us (history moved from another system, seed data): the
/// day a shop opened (<c>opened_on</c>) and the day it closed (<c>closed_on</c>), each a local day in the customer's
/// zone. A shop may open at most <c>MaxBackdateDays</c> back, as far as its usage may be back-dated.
/// </summary>
public static class ShopHistory
{
    public const string OpenedOnField = "opened_on";
    public const string ClosedOnField = "closed_on";

    /// <summary>The instant the local day <paramref name="day"/> starts in <paramref name="zoneId"/>, whatever DST does that day.</summary>
    public static Instant StartOf(DateOnly day, string zoneId)
    {
        var date = LocalDate.FromDateOnly(day);
        return new BillingPeriod(date, date.PlusDays(1), zoneId).StartInstant;
    }

    /// <summary>The problem with <paramref name="openedOn"/>, if any: not after today, not more than <paramref name="maxBackdateDays"/> back.</summary>
    public static FieldError? CheckOpenedOn(DateOnly openedOn, string zoneId, Instant now, int maxBackdateDays)
    {
        var today = Today(zoneId, now);
        var opened = LocalDate.FromDateOnly(openedOn);
        if (opened > today)
        {
            return new FieldError(OpenedOnField, "opened_on must not be after today");
        }

        return Period.DaysBetween(opened, today) > maxBackdateDays
            ? new FieldError(OpenedOnField, string.Create(CultureInfo.InvariantCulture, $"opened_on must not be more than {maxBackdateDays} days in the past"))
            : null;
    }

    /// <summary>The problem with <paramref name="closedOn"/>, if any: not after today, not before <paramref name="firstDay"/> (the open period's first day).</summary>
    public static FieldError? CheckClosedOn(DateOnly closedOn, string zoneId, Instant now, LocalDate firstDay)
    {
        var closed = LocalDate.FromDateOnly(closedOn);
        if (closed > Today(zoneId, now))
        {
            return new FieldError(ClosedOnField, "closed_on must not be after today");
        }

        return closed < firstDay
            ? new FieldError(ClosedOnField, $"closed_on must not be before {firstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, the first day of the shop's open period")
            : null;
    }

    private static LocalDate Today(string zoneId, Instant now) => now.InZone(DateTimeZoneProviders.Tzdb[zoneId]).Date;
}
