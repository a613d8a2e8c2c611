using System.Globalization;
using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Invoicing;
using Billing.Silo.Storage.Sql;
using Billing.Silo.TestClocks;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Analytics;

/// <summary>The MRR report and the names of the price plans it counts customers on.</summary>
public sealed record MrrResult(MonthRange Range, IReadOnlyList<MrrMonth> Months, IReadOnlyDictionary<string, string> PlanNames);

/// <summary>
/// MRR per month from <c>shop_terms_history</c>: each shop's plan, seats and cycle over time,
/// streamed customer by customer (a customer's shops together, each in order) into the domain's
/// <see cref="MrrReport"/>, so memory holds one customer's history at a time. The one scan reads
/// every terms change up to the range's end — the shops that ever had a price plan and their
/// changes, not usage — joined to its shop's customer for the currency and zone.
/// </summary>
public sealed class MrrQuery(SqlDatabase database, IOptions<BillingOptions> options)
{
    /// <summary>Price plans one report prices at most; plans are few (a catalog), and a bound on memory.</summary>
    public const int MaxPricePlans = 10_000;

    private const string History =
        """
        SELECT s.customer_id, c.currency, c.time_zone, h.shop_id, h.effective_at_ms, h.price_plan_id, h.seats, h.cycle
        FROM shop_terms_history h
        JOIN shops s ON s.id = h.shop_id
        JOIN customers c ON c.id = s.customer_id
        WHERE h.effective_at_ms < @until_ms {0}
        ORDER BY s.customer_id, h.shop_id, h.effective_at_ms
        """;

    private readonly RoundingPolicy rounding = options.Value.RoundingPolicy;

    /// <summary>The report over <paramref name="range"/>; test-clock customers only when <paramref name="includeTestClocks"/>.</summary>
    public async Task<MrrResult> RunAsync(MonthRange range, CancellationToken cancellationToken, bool includeTestClocks = false)
    {
        var plans = await PlansAsync(cancellationToken);
        // Every zone's month has ended two days after it has in UTC; the timelines pick each customer's own end.
        var until = range.To.PlusMonths(1).OnDayOfMonth(1).PlusDays(2).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        var report = new MrrReport(range);
        await database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(string.Format(CultureInfo.InvariantCulture, History, includeTestClocks ? string.Empty : TestClockFilter.OfCustomerAlias)).With("until_ms", until.ToUnixTimeMilliseconds());
                await using var reader = await command.ExecuteReaderAsync(ct);
                await StreamAsync(reader, plans, report, ct);
                return 0;
            },
            cancellationToken);
        return new MrrResult(range, report.Build(rounding), plans.ToDictionary(p => p.Key, p => p.Value.Name, StringComparer.Ordinal));
    }

    private async Task StreamAsync(DbDataReader reader, Dictionary<string, PricePlan> plans, MrrReport report, CancellationToken ct)
    {
        var amounts = new Dictionary<(string Plan, int Seats, string Cycle), Money>();
        var facts = new List<ShopTermsFact>();
        (string Id, Currency Currency, string Zone)? customer = null;
        while (await reader.ReadAsync(ct))
        {
            var customerId = reader.GetString(0);
            if (customer is { } current && current.Id != customerId)
            {
                report.Add(new CustomerMrrTimeline(current.Id, current.Currency, current.Zone, facts));
                facts.Clear();
            }

            var currency = Currency.Parse(reader.GetString(1));
            customer = (customerId, currency, reader.GetString(2));
            var planId = reader.IsDBNull(5) ? null : reader.GetString(5);
            var seats = reader.GetInt32(6);
            var monthly = planId is null ? Money.Zero(currency) : Monthly(plans, amounts, planId, seats, reader.GetString(7));
            // A per-seat plan at no seats is a cancelled subscription: the shop counts on no plan.
            var onPlan = planId is not null && (seats > 0 || !monthly.IsZero) ? planId : null;
            facts.Add(new ShopTermsFact(reader.GetString(3), Instant.FromUnixTimeMilliseconds(reader.GetInt64(4)), onPlan, monthly));
        }

        if (customer is { } last)
        {
            report.Add(new CustomerMrrTimeline(last.Id, last.Currency, last.Zone, facts));
        }
    }

    private Money Monthly(Dictionary<string, PricePlan> plans, Dictionary<(string, int, string), Money> amounts, string planId, int seats, string cycle)
    {
        if (!amounts.TryGetValue((planId, seats, cycle), out var monthly))
        {
            var plan = plans.GetValueOrDefault(planId) ?? throw new InvariantViolationException($"Shop terms name price plan {planId}, which does not exist.");
            monthly = RecurringRevenue.MonthlyOf(plan, seats, BillingCycles.Parse(cycle), rounding);
            amounts[(planId, seats, cycle)] = monthly;
        }

        return monthly;
    }

    /// <summary>The price plans shops have been on (immutable once created, so today's row is the one they were billed by).</summary>
    private async Task<Dictionary<string, PricePlan>> PlansAsync(CancellationToken cancellationToken)
    {
        var stored = await database.QueryListAsync(
            """
            SELECT id, name, currency, charges_json FROM price_plans
            WHERE id IN (SELECT DISTINCT price_plan_id FROM shop_terms_history WHERE price_plan_id IS NOT NULL)
            ORDER BY id LIMIT @limit
            """,
            c => c.With("limit", MaxPricePlans + 1),
            r => new StoredPricePlan(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)),
            cancellationToken);
        if (stored.Count > MaxPricePlans)
        {
            throw new InvariantViolationException($"Shops have been on more than {MaxPricePlans} price plans; the MRR report prices at most that many.");
        }

        return stored.ToDictionary(p => p.Id, PricePlanStore.ToDomain, StringComparer.Ordinal);
    }
}
