using NodaTime;

namespace Billing.Domain;

/// <summary>A movement's total and the number of customers who made it.</summary>
public sealed record MrrMovementTotal(Money Amount, int Customers);

/// <summary>Customers on a price plan at a month's end (a customer counts once per plan) and the MRR their shops on it bring.</summary>
public sealed record PlanMrr(string PlanId, int Customers, Money Mrr);

/// <summary>
/// One currency's MRR at a month's end and how it got there from the month before's:
/// <c>Mrr = StartingMrr + New + Expansion + Reactivation − Contraction − Churn</c>, exactly.
/// ARR is MRR × 12; ARPU is MRR over paying customers, rounded once (zero without any).
/// </summary>
public sealed record MrrFigures(
    Currency Currency,
    Money StartingMrr,
    Money Mrr,
    Money Arr,
    Money Arpu,
    int PayingCustomers,
    MrrMovementTotal New,
    MrrMovementTotal Expansion,
    MrrMovementTotal Contraction,
    MrrMovementTotal Churn,
    MrrMovementTotal Reactivation,
    IReadOnlyList<PlanMrr> Plans);

public sealed record MrrMonth(YearMonth Month, IReadOnlyList<MrrFigures> Currencies);

/// <summary>
/// Adds customers one at a time (so a caller can stream them) into each month of a range, per
/// currency: amounts in different currencies are never added together.
/// </summary>
public sealed class MrrReport(MonthRange range)
{
    private static readonly MrrMovementKind[] Movements =
        [MrrMovementKind.New, MrrMovementKind.Expansion, MrrMovementKind.Contraction, MrrMovementKind.Churn, MrrMovementKind.Reactivation];

    // Per currency, one set of totals per month of the range, in order.
    private readonly Dictionary<Currency, Totals[]> totals = [];

    // Each zone's month ends from the month before the range to its last: resolved once per zone, not per customer.
    private readonly Dictionary<string, Instant[]> monthEnds = new(StringComparer.Ordinal);

    public void Add(CustomerMrrTimeline customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var before = range.From.PlusMonths(-1);
        var ends = MonthEnds(customer);
        var previous = customer.At(ends[0]);
        var paidBefore = customer.PaidAtAMonthEndBefore(before);
        var months = Of(customer.Currency);
        for (var index = 0; index < months.Length; index++)
        {
            var current = customer.At(ends[index + 1]);
            var movement = MrrMovement.Classify(previous.Mrr, current.Mrr, paidBefore);
            months[index].Add(previous, current, movement);
            paidBefore |= !previous.Mrr.IsZero;
            previous = current;
        }
    }

    public IReadOnlyList<MrrMonth> Build(RoundingPolicy rounding) =>
        [.. range.Months.Select((month, index) => new MrrMonth(
            month, [.. totals.OrderBy(c => c.Key.Code, StringComparer.Ordinal).Select(currency => currency.Value[index].Figures(currency.Key, rounding))]))];

    private Instant[] MonthEnds(CustomerMrrTimeline customer)
    {
        if (!monthEnds.TryGetValue(customer.ZoneId, out var ends))
        {
            ends = [.. Enumerable.Range(-1, range.Count + 1).Select(offset => customer.MonthEnd(range.From.PlusMonths(offset)))];
            monthEnds[customer.ZoneId] = ends;
        }

        return ends;
    }

    private Totals[] Of(Currency currency)
    {
        if (!totals.TryGetValue(currency, out var found))
        {
            found = [.. Enumerable.Range(0, range.Count).Select(_ => new Totals())];
            totals[currency] = found;
        }

        return found;
    }

    private sealed class Totals
    {
        // Indexed by the movement kind's value (1..6).
        private readonly decimal[] amounts = new decimal[7];
        private readonly int[] customers = new int[7];
        private readonly Dictionary<string, (int Customers, decimal Mrr)> plans = new(StringComparer.Ordinal);
        private decimal starting;
        private decimal mrr;
        private int paying;

        public void Add(CustomerMonthEnd previous, CustomerMonthEnd current, MrrMovement movement)
        {
            starting += previous.Mrr.Amount;
            mrr += current.Mrr.Amount;
            paying += current.Mrr.IsZero ? 0 : 1;
            amounts[(int)movement.Kind] += movement.Amount.Amount;
            customers[(int)movement.Kind]++;
            foreach (var (plan, planMrr) in current.Plans)
            {
                var (planCustomers, planTotal) = plans.GetValueOrDefault(plan);
                plans[plan] = (planCustomers + 1, planTotal + planMrr.Amount);
            }
        }

        public MrrFigures Figures(Currency currency, RoundingPolicy rounding)
        {
            MrrMovementTotal Total(MrrMovementKind kind) => new(new Money(amounts[(int)kind], currency), customers[(int)kind]);

            var moved = Movements.ToDictionary(kind => kind, Total);
            var expected = starting + moved[MrrMovementKind.New].Amount.Amount + moved[MrrMovementKind.Expansion].Amount.Amount
                + moved[MrrMovementKind.Reactivation].Amount.Amount - moved[MrrMovementKind.Contraction].Amount.Amount - moved[MrrMovementKind.Churn].Amount.Amount;
            if (expected != mrr)
            {
                throw new InvariantViolationException($"MRR movements in {currency} do not add up: {starting} + movements = {expected}, but MRR is {mrr}.");
            }

            var total = new Money(mrr, currency);
            var arpu = paying == 0 ? Money.Zero(currency) : new Money(mrr / paying, currency).RoundTo(rounding);
            return new MrrFigures(
                currency, new Money(starting, currency), total, total * 12m, arpu, paying,
                moved[MrrMovementKind.New], moved[MrrMovementKind.Expansion], moved[MrrMovementKind.Contraction], moved[MrrMovementKind.Churn], moved[MrrMovementKind.Reactivation],
                [.. plans.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new PlanMrr(p.Key, p.Value.Customers, new Money(p.Value.Mrr, currency)))]);
        }
    }
}
