using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Billing.Domain;

/// <summary>
/// A threshold reached within a period. At most one exists per <see cref="Kind"/>,
/// <see cref="Subject"/> and <see cref="PeriodKey"/>: that triple is the storage key, so raising
/// the same alert again (after a restart, from another silo) changes nothing.
/// <see cref="Threshold"/> and <see cref="Observed"/> are display texts such as "EUR 100.00" or
/// "80% of 1000 tokens".
/// </summary>
public sealed record Alert(string Kind, string Subject, string PeriodKey, string Threshold, string Observed, string Message, Instant RaisedAt);

/// <summary>The alert kinds and subjects as the API and storage spell them.</summary>
public static class AlertKinds
{
    public const string CostDaily = "cost_daily";
    public const string CostWeekly = "cost_weekly";
    public const string CostCustomerDaily = "cost_customer_daily";

    /// <summary>Token kinds are this prefix and the percent: token_80, token_100.</summary>
    public const string TokenPrefix = "token_";

    /// <summary>The subject of platform-wide cost alerts (daily and weekly).</summary>
    public const string PlatformSubject = "platform";

    public static string Token(int percent) => TokenPrefix + percent.ToString(CultureInfo.InvariantCulture);

    /// <summary>True for the three cost kinds and token_1 … token_100 (no leading zeros).</summary>
    public static bool IsKnown(string? kind) =>
        kind is CostDaily or CostWeekly or CostCustomerDaily
        || (kind is not null
            && kind.StartsWith(TokenPrefix, StringComparison.Ordinal)
            && int.TryParse(kind.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
            && TokenThresholds.IsValidPercent(percent)
            && kind == Token(percent));
}

/// <summary>The periods alerts count in, and their keys.</summary>
public static class AlertPeriods
{
    /// <summary>One local day of the zone, as the instants it covers (DST days are 23 or 25 hours).</summary>
    public static BillingPeriod Day(LocalDate date, string zoneId) => new(date, date.PlusDays(1), zoneId);

    /// <summary>The ISO week (Monday to Sunday) holding the date; its key reads "2026-W47".</summary>
    public static BillingPeriod WeekOf(LocalDate date, string zoneId) => BillingPeriod.Containing(date, BillingCycle.Weekly, zoneId);

    /// <summary>"2026-11-21".</summary>
    public static string DayKey(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>A grant's period: its ledger sequence, so each grant or renewal alerts afresh ("grant-42").</summary>
    public static string GrantKey(long grantSequence) => "grant-" + grantSequence.ToString(CultureInfo.InvariantCulture);
}
