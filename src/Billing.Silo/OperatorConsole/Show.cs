using System.Globalization;

namespace Billing.Silo.OperatorConsole;

/// <summary>How the console writes figures: invariant culture whatever the server's, amounts with their currency.</summary>
public static class Show
{
    public static string Money(decimal amount, string currency) => string.Create(CultureInfo.InvariantCulture, $"{amount:#,##0.00##} {currency}");

    /// <summary>The exact value for data attributes, as the API's JSON writes it.</summary>
    public static string Exact(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    public static string Count(long count) => count.ToString("#,##0", CultureInfo.InvariantCulture);

    public static string Percent(decimal fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "–";

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "–";
}
