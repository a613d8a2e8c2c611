using Billing.Domain;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Analytics;

/// <summary>A customer's usage over local days: totals, per day (every day of the range), per shop and per endpoint (busiest first).</summary>
public sealed record UsageResult(
    string CustomerId,
    string TimeZone,
    DayRange Range,
    UsageFigures Totals,
    IReadOnlyList<(LocalDate Day, UsageFigures Figures)> Days,
    IReadOnlyList<(string ShopId, UsageFigures Figures)> Shops,
    IReadOnlyList<(string? Endpoint, UsageFigures Figures)> Endpoints);

/// <summary>
/// One customer's usage statistics from <c>usage_events</c>, through each of its shops' index on
/// (shop, time): the database sums 15-minute UTC buckets (every IANA offset of today divides them,
/// so each falls on one local day) per shop, and separately per endpoint, and the silo adds the
/// buckets into the customer's local days. Both reads are bounded: the range by
/// <see cref="DayRange.MaxDays"/>, buckets by <see cref="MaxBuckets"/>, endpoints by <see cref="MaxEndpoints"/>.
/// </summary>
public sealed class UsageQuery(SqlDatabase database)
{
    /// <summary>Endpoints listed at most, busiest first.</summary>
    public const int MaxEndpoints = 100;

    /// <summary>Shop-buckets read at most: 92 days of 96 buckets for 50 shops.</summary>
    public const int MaxBuckets = 441_600;

    private const long BucketMs = 15 * 60 * 1000;

    private const string Customer = "SELECT time_zone FROM customers WHERE id = @customer";

    private static readonly string ByShopAndBucket =
        $"""
         SELECT u.shop_id, u.occurred_at_ms / {BucketMs}, COUNT(*), CAST(SUM(u.tokens) AS BIGINT), CAST(SUM(CASE WHEN u.status_code >= 400 THEN 1 ELSE 0 END) AS BIGINT)
         FROM shops s JOIN usage_events u ON u.shop_id = s.id
         WHERE s.customer_id = @customer AND u.occurred_at_ms >= @from_ms AND u.occurred_at_ms < @to_ms
         GROUP BY u.shop_id, u.occurred_at_ms / {BucketMs}
         LIMIT @limit
         """;

    private const string ByEndpoint =
        """
        SELECT u.endpoint, COUNT(*), CAST(SUM(u.tokens) AS BIGINT), CAST(SUM(CASE WHEN u.status_code >= 400 THEN 1 ELSE 0 END) AS BIGINT)
        FROM shops s JOIN usage_events u ON u.shop_id = s.id
        WHERE s.customer_id = @customer AND u.occurred_at_ms >= @from_ms AND u.occurred_at_ms < @to_ms
        GROUP BY u.endpoint
        ORDER BY COUNT(*) DESC, u.endpoint
        LIMIT @limit
        """;

    /// <summary>Null when there is no such customer; <see cref="UsageRangeTooLargeException"/> past <see cref="MaxBuckets"/>.</summary>
    public async Task<UsageResult?> RunAsync(string customerId, DayRange range, CancellationToken cancellationToken)
    {
        var zoneId = await database.QueryFirstAsync(Customer, c => c.With("customer", customerId), r => r.GetString(0), cancellationToken);
        if (zoneId is null)
        {
            return null;
        }

        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var fromMs = range.From.AtStartOfDayInZone(zone).ToInstant().ToUnixTimeMilliseconds();
        var toMs = range.To.PlusDays(1).AtStartOfDayInZone(zone).ToInstant().ToUnixTimeMilliseconds();
        var buckets = await database.QueryListAsync(
            ByShopAndBucket,
            c => c.With("customer", customerId).With("from_ms", fromMs).With("to_ms", toMs).With("limit", MaxBuckets + 1),
            r => (Shop: r.GetString(0), Bucket: r.GetInt64(1), Figures: new UsageFigures(r.GetInt64(2), r.GetInt64(3), r.GetInt64(4))),
            cancellationToken);
        if (buckets.Count > MaxBuckets)
        {
            throw new UsageRangeTooLargeException(customerId, MaxBuckets);
        }

        var endpoints = await database.QueryListAsync(
            ByEndpoint,
            c => c.With("customer", customerId).With("from_ms", fromMs).With("to_ms", toMs).With("limit", MaxEndpoints),
            r => (r.IsDBNull(0) ? null : r.GetString(0), new UsageFigures(r.GetInt64(1), r.GetInt64(2), r.GetInt64(3))),
            cancellationToken);

        var days = Enumerable.Range(0, range.Count).ToDictionary(range.From.PlusDays, _ => default(UsageFigures));
        var shops = new SortedDictionary<string, UsageFigures>(StringComparer.Ordinal);
        foreach (var (shop, bucket, figures) in buckets)
        {
            var day = Instant.FromUnixTimeMilliseconds(bucket * BucketMs).InZone(zone).Date;
            if (days.TryGetValue(day, out var sum))
            {
                days[day] = sum + figures;
            }

            shops[shop] = shops.GetValueOrDefault(shop) + figures;
        }

        var totals = days.Values.Aggregate(default(UsageFigures), (sum, figures) => sum + figures);
        return new UsageResult(
            customerId, zoneId, range, totals, [.. days.OrderBy(d => d.Key).Select(d => (d.Key, d.Value))], [.. shops.Select(s => (s.Key, s.Value))], endpoints);
    }
}

/// <summary>A customer's usage in the range is more than one request reads; a shorter range answers.</summary>
public sealed class UsageRangeTooLargeException(string customerId, int maxBuckets)
    : Exception($"Customer {customerId} has usage in more than {maxBuckets} shop-quarter-hours in the range; ask for fewer days.");
