namespace Billing.Cli.Simulate;

/// <summary>One of seed 003's per-screen plans: its price, its share of the customers and the screens they start with.</summary>
internal sealed record PlanTier(string Name, decimal PricePerScreen, int SharePercent, int MinScreens, int MaxScreens, int ChangeWeight);

/// <summary>Seed 003's rules for <c>billing simulate lifecycle</c>: the five plans, their shares, and the changes per 100 customers.</summary>
internal static class LifecycleRules
{
    public const int DefaultCustomers = 100;
    public const int MinCustomers = 10;
    public const int MaxCustomers = 1_000;
    public const int DefaultMonths = 6;
    public const int MaxMonths = 24;

    /// <summary>Changes per 100 customers (seed 003's figures for its 100), scaled to the run's count.</summary>
    public const int UpgradesPer100 = 15;
    public const int DowngradesPer100 = 2;
    public const int CancellationsPer100 = 8;
    public const int PastDuePer100 = 5;

    /// <summary>Customers per test clock: below the silo's default <c>Billing:TestClocks:MaxCustomersPerClock</c> (100).</summary>
    public const int CustomersPerClock = 50;

    public const string Currency = "USD";

    /// <summary>Stripe's test card that attaches and then declines every charge: its customers fall past due.</summary>
    public const string DecliningCard = "4000000000000341";

    public const string GoodCard = "4242424242424242";

    /// <summary>Free, Standard, Pro Plus, Engage, Enterprise; changes are weighted 4:4:1:1:1 towards Free and Standard.</summary>
    public static readonly IReadOnlyList<PlanTier> Tiers =
    [
        new("Free", 0.00m, 25, 1, 3, 4),
        new("Standard", 10.00m, 18, 2, 8, 4),
        new("Pro Plus", 15.00m, 32, 5, 20, 1),
        new("Engage", 30.00m, 15, 8, 30, 1),
        new("Enterprise", 45.00m, 10, 25, 100, 1),
    ];

    /// <summary>
    /// The clocks' instants: the start and one a month after it, the last at or before <paramref name="now"/>. All at
    /// 12:00 UTC, clear of a period's close (its end plus the grace) when changes would be refused, on a day of the month
    /// every month has (at most the 28th).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> Instants(DateTimeOffset now, int months)
    {
        var noon = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(12);
        var last = noon <= now ? noon : noon.AddDays(-1);
        var final = new DateTimeOffset(last.Year, last.Month, Math.Min(last.Day, 28), 12, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, months + 1).Select(i => final.AddMonths(i - months))];
    }

    /// <summary><paramref name="per100"/> scaled to <paramref name="customers"/>, half away from zero, at least one.</summary>
    public static int Scaled(int per100, int customers) =>
        Math.Max(1, (int)Math.Round(per100 * customers / 100m, MidpointRounding.AwayFromZero));

    /// <summary>Customers per plan: the shares of <paramref name="customers"/> by largest remainder, so they add up exactly.</summary>
    public static int[] CustomersPerTier(int customers)
    {
        var exact = Tiers.Select(t => t.SharePercent * customers / 100m).ToArray();
        var counts = exact.Select(e => (int)decimal.Floor(e)).ToArray();
        var left = customers - counts.Sum();
        foreach (var tier in Enumerable.Range(0, Tiers.Count).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(left))
        {
            counts[tier]++;
        }

        return counts;
    }
}
