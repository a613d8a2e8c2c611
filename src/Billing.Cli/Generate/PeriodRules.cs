using System.Globalization;

namespace Billing.Cli.Generate;

/// <summary>Where a generated billing period stands (seed 000): the words the silo's periods API uses.</summary>
internal enum PeriodStatus
{
    Pending,
    Paid,
    Overdue,
    Waived,
}

/// <summary>
/// Seed 000's rules for <c>billing generate periods</c>: no future months, the current month pending, a past month
/// paid when odd and overdue when even unless a status is given, an API key named after the month in capitals, and
/// $0.01 per request. Pure, so the tests pin each rule without a silo.
/// </summary>
internal static class PeriodRules
{
    public const decimal PricePerRequest = 0.01m;

    /// <summary>One usage batch holds a day: the silo takes at most 1,000 events a batch.</summary>
    public const int MaxRequestsPerDay = 1_000;

    public const int DefaultMinPerDay = 10;
    public const int DefaultMaxPerDay = 30;
    public const string DefaultEmail = "demo@example.com";
    public const int MinYear = 2000;
    public const int MaxYear = 9999;

    /// <summary>The suffix of every shop the generator makes, which is how verify and cleanup find them again.</summary>
    public const string ShopSuffix = "(generated)";

    public static string KeyName(int month) => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month).ToUpperInvariant();

    /// <summary>"JUNE 2026 (generated)": one shop per generated month.</summary>
    public static string ShopName(int year, int month) => string.Create(CultureInfo.InvariantCulture, $"{KeyName(month)} {year} {ShopSuffix}");

    public static bool IsCurrent(int year, int month, DateOnly today) => year == today.Year && month == today.Month;

    /// <summary>Why the month cannot be generated at <paramref name="today"/>, or null when it can.</summary>
    public static string? Refusal(int year, int month, PeriodStatus? status, DateOnly today)
    {
        if (year > today.Year || (year == today.Year && month > today.Month))
        {
            return string.Create(
                CultureInfo.InvariantCulture, $"{KeyName(month)} {year} is in the future: only the current month ({KeyName(today.Month)} {today.Year}) and past months can be generated.");
        }

        return IsCurrent(year, month, today) && status is { } given && given != PeriodStatus.Pending
            ? $"{KeyName(month)} {year} is the current month, which is always pending: leave out --status or pass --status pending."
            : null;
    }

    /// <summary>The status the month ends up with: pending now, else the one asked for, else paid (odd months) or overdue (even).</summary>
    public static PeriodStatus StatusFor(int year, int month, PeriodStatus? requested, DateOnly today) =>
        IsCurrent(year, month, today) ? PeriodStatus.Pending
        : requested ?? (month % 2 == 1 ? PeriodStatus.Paid : PeriodStatus.Overdue);

    public static decimal Cost(long requests) => requests * PricePerRequest;

    public static string Text(PeriodStatus status) => status.ToString().ToLowerInvariant();
}
