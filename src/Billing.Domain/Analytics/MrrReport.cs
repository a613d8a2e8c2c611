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

    private readonly Dictionary<(YearMonth Month, Currency Currency), Totals> totals = [];
    private readonly HashSet<Currency> currencies = [];

    public void Add(CustomerMrrTimeline customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var before = range.From.PlusMonths(-1);
        var previous = customer.At(before);
        var paidBefore = customer.PaidAtAMonthEndBefore(before);
        foreach (var month in range.Months)
        {
            var current = customer.At(month);
            var movement = MrrMovement.Classify(previous.Mrr, current.Mrr, paidBefore);
            Of(month, customer.Currency).Add(previous, current, movement);
            paidBefore |= !previous.Mrr.IsZero;
            previous = current;
        }
    }

    public IReadOnlyList<MrrMonth> Build(RoundingPolicy rounding) =>
        [.. range.Months.Select(month => new MrrMonth(
            month, [.. currencies.OrderBy(c => c.Code, StringComparer.Ordinal).Select(currency => Of(month, currency).Figures(currency, rounding))]))];

    private Totals Of(YearMonth month, Currency currency)
    {
        if (!totals.TryGetValue((month, currency), out var found))
        {
            found = new Totals();
            totals[(month, currency)] = found;
            currencies.Add(currency);
        }

        return found;
    }

    private sealed class Totals
    {
        private readonly Dictionary<MrrMovementKind, (decimal Amount, int Customers)> movements = [];
        private readonly Dictionary<string, (int Customers, decimal Mrr)> plans = new(StringComparer.Ordinal);
        private decimal starting;
        private decimal mrr;
        private int paying;

        public void Add(CustomerMonthEnd previous, CustomerMonthEnd current, MrrMovement movement)
        {
            starting += previous.Mrr.Amount;
            mrr += current.Mrr.Amount;
            paying += current.Mrr.IsZero ? 0 : 1;
            var (amount, customers) = movements.GetValueOrDefault(movement.Kind);
            movements[movement.Kind] = (amount + movement.Amount.Amount, customers + 1);
            foreach (var (plan, planMrr) in current.Plans)
            {
                var (planCustomers, planTotal) = plans.GetValueOrDefault(plan);
                plans[plan] = (planCustomers + 1, planTotal + planMrr.Amount);
            }
        }

        public MrrFigures Figures(Currency currency, RoundingPolicy rounding)
        {
            MrrMovementTotal Total(MrrMovementKind kind) =>
                movements.TryGetValue(kind, out var found) ? new(new Money(found.Amount, currency), found.Customers) : new(Money.Zero(currency), 0);

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
