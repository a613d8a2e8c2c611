namespace Billing.Domain;

/// <summary>One endpoint's share of a period's usage (the "service" split of per-unit charges).</summary>
public sealed record EndpointUsage(string Endpoint, long Requests, long Tokens, long Errors);

/// <summary>
/// What one shop's closed period consumed, as the pricer needs it: metered totals, the same per
/// endpoint, the seat count, and the sales attributed to the service. Bounded so that no price
/// times quantity can leave the range of decimal.
/// </summary>
public sealed record BillableUsage
{
    /// <summary>10^15 units: times <see cref="PricePlan.MaxAmount"/> still far inside decimal's range.</summary>
    public const long MaxQuantity = 1_000_000_000_000_000;

    public const int MaxSeats = 1_000_000;
    public const int MaxRevenueEvents = 1_000_000;
    public const int MaxEndpoints = PeriodUsage.MaxEndpoints;

    public BillableUsage(long requests, long tokens, long errors, IReadOnlyList<EndpointUsage> endpoints, int seats, IReadOnlyList<RevenueEvent> revenue)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(revenue);
        RequireQuantity(requests, nameof(requests));
        RequireQuantity(tokens, nameof(tokens));
        RequireQuantity(errors, nameof(errors));
        ArgumentOutOfRangeException.ThrowIfNegative(seats);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seats, MaxSeats);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(revenue.Count, MaxRevenueEvents, nameof(revenue));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endpoints.Count, MaxEndpoints, nameof(endpoints));
        Requests = requests;
        Tokens = tokens;
        Errors = errors;
        Endpoints = Array.AsReadOnly(endpoints.ToArray());
        Seats = seats;
        Revenue = Array.AsReadOnly(revenue.ToArray());
        RequireEndpointsWithinTotals();
    }

    public long Requests { get; }

    public long Tokens { get; }

    public long Errors { get; }

    /// <summary>Distinct endpoints; per metric they add up to at most the totals.</summary>
    public IReadOnlyList<EndpointUsage> Endpoints { get; }

    public int Seats { get; }

    public IReadOnlyList<RevenueEvent> Revenue { get; }

    public static BillableUsage None { get; } = new(0, 0, 0, [], 0, []);

    /// <summary>
    /// The silo's way in: a closed period's metered usage, the seats it was billed for, and the
    /// revenue events attributed in it (each must fall inside the period).
    /// </summary>
    public static BillableUsage From(PeriodUsage usage, int seats, IReadOnlyList<RevenueEvent> revenue)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(revenue);
        var outside = revenue.FirstOrDefault(e => !usage.Period.Contains(e.At));
        if (outside is not null)
        {
            throw new ArgumentException($"Revenue event of order '{outside.OrderId}' at {outside.At} is outside the period {usage.Period}.", nameof(revenue));
        }

        var endpoints = usage.Endpoints
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new EndpointUsage(pair.Key, pair.Value.Requests, pair.Value.Tokens, pair.Value.Errors))
            .ToArray();
        var totals = usage.Totals;
        return new BillableUsage(totals.Requests, totals.Tokens, totals.Errors, endpoints, seats, revenue);
    }

    /// <summary>The period's count of <paramref name="metric"/>, only over endpoints starting with <paramref name="endpointPrefix"/> when given.</summary>
    public long Quantity(UsageMetric metric, string? endpointPrefix = null) =>
        endpointPrefix is null
            ? CountOf(metric, Requests, Tokens, Errors)
            : Endpoints.Where(e => e.Endpoint.StartsWith(endpointPrefix, StringComparison.Ordinal)).Sum(e => CountOf(metric, e.Requests, e.Tokens, e.Errors));

    private static long CountOf(UsageMetric metric, long requests, long tokens, long errors) => metric switch
    {
        UsageMetric.Requests => requests,
        UsageMetric.Tokens => tokens,
        UsageMetric.Errors => errors,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown usage metric."),
    };

    private static void RequireQuantity(long value, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, paramName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxQuantity, paramName);
    }

    private void RequireEndpointsWithinTotals()
    {
        foreach (var endpoint in Endpoints)
        {
            ArgumentNullException.ThrowIfNull(endpoint, nameof(Endpoints));
            ArgumentNullException.ThrowIfNull(endpoint.Endpoint, nameof(Endpoints));
            RequireQuantity(endpoint.Requests, nameof(Endpoints));
            RequireQuantity(endpoint.Tokens, nameof(Endpoints));
            RequireQuantity(endpoint.Errors, nameof(Endpoints));
        }

        if (Endpoints.Select(e => e.Endpoint).Distinct(StringComparer.Ordinal).Count() != Endpoints.Count)
        {
            throw new ArgumentException("Endpoints must be distinct.", nameof(Endpoints));
        }

        foreach (var metric in Enum.GetValues<UsageMetric>())
        {
            if (Endpoints.Sum(e => CountOf(metric, e.Requests, e.Tokens, e.Errors)) > Quantity(metric))
            {
                throw new ArgumentException($"Endpoint {metric} add up to more than the period's total {Quantity(metric)}.", nameof(Endpoints));
            }
        }
    }
}
