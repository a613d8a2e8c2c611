using NodaTime;

namespace Billing.Domain;

/// <summary>One metered call (or a pre-aggregated group of them) as the period totals see it.</summary>
public readonly record struct UsageFact(Instant OccurredAt, long Requests, long Tokens, Money Cost, string? Endpoint, long Errors);

/// <summary>Totals of one day or one endpoint.</summary>
public sealed record UsageCounts(long Requests, long Tokens, Money Cost, long Errors)
{
    public static UsageCounts Zero(Currency currency) => new(0, 0, Money.Zero(currency), 0);

    public UsageCounts Plus(UsageFact fact) => new(Requests + fact.Requests, Tokens + fact.Tokens, Cost + fact.Cost, Errors + fact.Errors);
}

/// <summary>
/// A shop's usage in one billing period: requests, tokens, cost, errors, per local day and per
/// endpoint. Endpoints are bounded: past <see cref="MaxEndpoints"/> distinct ones, the rest are
/// counted under <see cref="OtherEndpoints"/>, so a client sending random paths cannot grow it.
/// </summary>
public sealed class PeriodUsage(BillingPeriod period, Currency currency)
{
    public const int MaxEndpoints = 200;
    public const string OtherEndpoints = "(other)";
    public const string UnknownEndpoint = "(none)";

    private readonly SortedDictionary<LocalDate, UsageCounts> days = [];
    private readonly Dictionary<string, UsageCounts> endpoints = new(StringComparer.Ordinal);

    public BillingPeriod Period { get; } = period;

    public Currency Currency { get; } = currency;

    public UsageCounts Totals { get; private set; } = UsageCounts.Zero(currency);

    public IReadOnlyDictionary<LocalDate, UsageCounts> Days => days;

    public IReadOnlyDictionary<string, UsageCounts> Endpoints => endpoints;

    /// <summary>Adds a fact of this period; returns false (and adds nothing) for a fact outside it.</summary>
    public bool Record(UsageFact fact)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fact.Requests, nameof(fact));
        ArgumentOutOfRangeException.ThrowIfNegative(fact.Tokens, nameof(fact));
        if (!Period.Contains(fact.OccurredAt))
        {
            return false;
        }

        Totals = Totals.Plus(fact);
        var day = Period.DayOf(fact.OccurredAt);
        days[day] = (days.TryGetValue(day, out var counts) ? counts : UsageCounts.Zero(Currency)).Plus(fact);
        var endpoint = EndpointKey(fact.Endpoint);
        endpoints[endpoint] = (endpoints.TryGetValue(endpoint, out var byEndpoint) ? byEndpoint : UsageCounts.Zero(Currency)).Plus(fact);
        return true;
    }

    private string EndpointKey(string? endpoint)
    {
        var key = string.IsNullOrEmpty(endpoint) ? UnknownEndpoint : endpoint;
        return endpoints.ContainsKey(key) || endpoints.Count < MaxEndpoints - 1 ? key : OtherEndpoints;
    }
}
