using NodaTime;

namespace Billing.Domain;

/// <summary>A shop's terms from <see cref="EffectiveAt"/> on: its price plan (null: the default) and their MRR.</summary>
public sealed record ShopTermsFact(string ShopId, Instant EffectiveAt, string? PlanId, Money MonthlyAmount);

/// <summary>What a customer had at one month's end: its MRR and, per price plan its shops were on (each once), that plan's share.</summary>
public sealed record CustomerMonthEnd(Money Mrr, IReadOnlyList<PlanShare> Plans);

/// <summary>The MRR a customer's shops on one price plan bring.</summary>
public readonly record struct PlanShare(string PlanId, Money Mrr);

/// <summary>
/// One customer's shops' terms over time, and its MRR at each month's end: the terms in effect at
/// the last instant of the month in the customer's zone (a change effective exactly at the month's
/// end, like a downgrade at the next period's start, counts in the next month), summed over its shops.
/// </summary>
public sealed class CustomerMrrTimeline
{
    /// <summary>Terms changes one customer's timeline holds at most: far above any real history, a bound on memory.</summary>
    public const int MaxFacts = 100_000;

    private readonly ShopTermsFact[][] shops;

    public CustomerMrrTimeline(string customerId, Currency currency, string zoneId, IEnumerable<ShopTermsFact> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        CustomerId = customerId;
        Currency = currency;
        ZoneId = zoneId;
        var all = facts.ToList();
        if (all.Count > MaxFacts)
        {
            throw new InvariantViolationException($"Customer {customerId} has {all.Count} terms changes; at most {MaxFacts} are read.");
        }

        if (all.Any(fact => fact.MonthlyAmount.Currency != currency || fact.MonthlyAmount.IsNegative))
        {
            throw new InvariantViolationException($"Customer {customerId}'s MRR must be non-negative amounts in {currency}.");
        }

        shops = [.. all.GroupBy(fact => fact.ShopId, StringComparer.Ordinal).Select(shop => shop.OrderBy(fact => fact.EffectiveAt).ToArray())];
    }

    public string CustomerId { get; }

    public Currency Currency { get; }

    public string ZoneId { get; }

    /// <summary>The instant <paramref name="month"/> ends in the customer's zone (the next month's first local midnight).</summary>
    public Instant MonthEnd(YearMonth month) => BillingPeriod.Containing(month.OnDayOfMonth(1), BillingCycle.Monthly, ZoneId).EndInstant;

    public CustomerMonthEnd At(YearMonth month) => At(MonthEnd(month));

    /// <summary>What the customer had at <paramref name="end"/>, a month's end in its zone (see <see cref="MonthEnd"/>).</summary>
    public CustomerMonthEnd At(Instant end)
    {
        // Called for every customer and month of a report: plain decimals, and a list only for a customer with several shops on plans.
        var mrr = 0m;
        List<(string Plan, decimal Amount)>? plans = null;
        foreach (var shop in shops)
        {
            if (InEffect(shop, end) is not { } fact)
            {
                continue;
            }

            mrr += fact.MonthlyAmount.Amount;
            if (fact.PlanId is { } plan)
            {
                plans ??= new List<(string, decimal)>(shops.Length);
                var index = plans.FindIndex(p => p.Plan == plan);
                if (index < 0)
                {
                    plans.Add((plan, fact.MonthlyAmount.Amount));
                }
                else
                {
                    plans[index] = (plan, plans[index].Amount + fact.MonthlyAmount.Amount);
                }
            }
        }

        return new CustomerMonthEnd(new Money(mrr, Currency), plans is null ? [] : [.. plans.Select(p => new PlanShare(p.Plan, new Money(p.Amount, Currency)))]);
    }

    /// <summary>Whether the customer had MRR above zero at the end of any month before <paramref name="month"/>.</summary>
    public bool PaidAtAMonthEndBefore(YearMonth month)
    {
        foreach (var shop in shops)
        {
            for (var index = 0; index < shop.Length; index++)
            {
                // The first month's end after the change is the earliest it can be seen at.
                var local = shop[index].EffectiveAt.InZone(DateTimeZoneProviders.Tzdb[ZoneId]).Date;
                var firstMonth = new YearMonth(local.Year, local.Month);
                var seenUntil = index + 1 < shop.Length ? shop[index + 1].EffectiveAt : Instant.MaxValue;
                if (!shop[index].MonthlyAmount.IsZero && firstMonth < month && MonthEnd(firstMonth) <= seenUntil)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The last change effective strictly before <paramref name="instant"/>.</summary>
    private static ShopTermsFact? InEffect(ShopTermsFact[] shop, Instant instant)
    {
        ShopTermsFact? found = null;
        foreach (var fact in shop)
        {
            if (fact.EffectiveAt >= instant)
            {
                break;
            }

            found = fact;
        }

        return found;
    }
}
