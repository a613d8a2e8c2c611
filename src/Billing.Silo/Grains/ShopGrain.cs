using Billing.Silo.Metering;
using Billing.Domain;
using Billing.Silo.Invoicing;
using Billing.Silo.Metering.Journal;
using Billing.Silo.TestClocks;
using NodaTime;

namespace Billing.Silo.Grains;

/// <summary>
/// One shop: its current billing period's usage, and the closing of its periods. Usage is kept in
/// memory only once asked for (a billing run activates many shops that no one meters): it is
/// aggregated from the durable usage events, then the events the subscription grain tells it about
/// are added, skipping those the aggregate already held. Closing runs here, one call at a time per
/// shop, so the month-end reminder, a billing run and a terms change never interleave.
/// </summary>
[GrainType("shop")]
public sealed partial class ShopGrain(
    ShopUsageReader reader,
    ShopPeriods periods,
    ShopTermsChanges termsChanges,
    ReminderCloseQueue reminderCloses,
    CustomerClocks clocks,
    TimeProvider time,
    ILogger<ShopGrain> logger)
    : Grain, IShopGrain, IRemindable
{
    // Loaded on first need, not on activation: a reminder tick only queues the shop, and 100,000
    // ticks at a month end must not be 100,000 reads at once (see ReminderCloseQueue).
    private ShopProfile? profile;
    private string? shopId;

    // The cycle of the periods to come (the close schedule, and the guess for a period not open yet);
    // after a cycle change the open period still runs in the old one.
    private BillingCycle cycle;
    private BillingPeriod? openPeriod;
    private PeriodUsage? current;
    private long aggregatedUpToSequence;

    // The customer's time, known with the profile: the silo's, or its test clock's (which registers no reminders).
    private TimeProvider? customerTime;
    private string? testClockId;

    private string ShopId => shopId ??= this.GetPrimaryKeyString();

    private async ValueTask<ShopProfile> ProfileAsync(CancellationToken cancellationToken)
    {
        if (profile is null)
        {
            // The terms row holds the shop and its customer too: one query. Storage is the truth
            // for the cycle and open period too, including what a close or terms change set before.
            var terms = await periods.TermsAsync(ShopId, cancellationToken);
            cycle = BillingCycles.Parse(terms.Cycle);
            openPeriod = terms.Open?.Period;
            testClockId = terms.TestClockId;
            customerTime = clocks.Of(terms.TestClockId, terms.ClockFrozenAtMs ?? 0);
            profile = new ShopProfile(terms.Shop.Id, terms.Customer.Id, terms.Customer.TimeZoneId, terms.Customer.Currency);
        }

        return profile;
    }

    public async Task RecordAsync(IReadOnlyList<UsageRecord> usage)
    {
        await ProfileAsync(CancellationToken.None);
        var period = await CurrentAsync(Now());
        foreach (var record in usage.Where(r => r.Sequence > aggregatedUpToSequence))
        {
            var at = Instant.FromUnixTimeMilliseconds(record.OccurredAtMs);
            if (at >= period.Period.EndInstant)
            {
                // The period ended: the next one starts from storage, which already holds this event.
                period = await LoadPeriodAsync(at, CancellationToken.None);
                continue;
            }

            if (at < period.Period.StartInstant)
            {
                // Late usage of an earlier period (billed as a late line on the next invoice) is not this
                // period's: a rebuild from storage would not count it here either.
                continue;
            }

            period.Record(new UsageFact(
                at, 1, record.Tokens, MoneyNanos.ToMoney(record.CostNanos, period.Currency), record.Endpoint, record.StatusCode >= 400 ? 1 : 0));
        }
    }

    public async Task<ShopUsageView> GetCurrentPeriodAsync()
    {
        await ProfileAsync(CancellationToken.None);
        return View(await CurrentAsync(Now()));
    }

    private async Task<PeriodUsage> CurrentAsync(Instant now) =>
        current is { } usage && now < usage.Period.EndInstant ? usage : await LoadPeriodAsync(now, CancellationToken.None);

    private async Task<PeriodUsage> LoadPeriodAsync(Instant at, CancellationToken cancellationToken)
    {
        if (openPeriod is { } known && at >= known.EndInstant)
        {
            // Past the open period, whose close opens the next one in the customer's zone as it is
            // then: read the customer again, who may have moved since this activation read it.
            profile = null;
        }

        var shop = await ProfileAsync(cancellationToken);
        var usage = new PeriodUsage(PeriodAt(at, shop.TimeZone), shop.Currency);
        aggregatedUpToSequence = await reader.RebuildAsync(shop.ShopId, shop.CustomerId, usage, cancellationToken);
        current = usage;
        return usage;
    }

    /// <summary>
    /// The open period if it holds <paramref name="at"/>; else the one its close will open (a bridge
    /// after a change of cycle or zone is no calendar period) if that holds it; else the calendar period.
    /// </summary>
    private BillingPeriod PeriodAt(Instant at, string zoneId)
    {
        if (openPeriod is not { } open)
        {
            return BillingPeriod.Containing(at, cycle, zoneId);
        }

        if (open.Contains(at))
        {
            return open;
        }

        var next = BillingPeriod.After(open, cycle, zoneId);
        return next.Contains(at) ? next : BillingPeriod.Containing(at, cycle, zoneId);
    }

    /// <summary>The customer's now: call <see cref="ProfileAsync"/> first, or a test-clock shop reads the silo's time.</summary>
    private Instant Now() => Instant.FromDateTimeOffset((customerTime ?? time).GetUtcNow());

    private ShopUsageView View(PeriodUsage usage) => new(
        ShopId,
        usage.Period.Start.ToDateOnly(),
        // Like every period the API shows (invoices, periods, shop terms, runs): its last local day, inclusive.
        usage.Period.EndExclusive.PlusDays(-1).ToDateOnly(),
        usage.Period.ZoneId,
        usage.Currency.Code,
        Counts(usage.Totals),
        [.. usage.Days.Select(d => new DailyUsageView(d.Key.ToDateOnly(), d.Value.Requests, d.Value.Tokens, d.Value.Cost.Amount, d.Value.Errors))],
        [.. usage.Endpoints.OrderByDescending(e => e.Value.Requests).Select(e => new EndpointUsageView(e.Key, e.Value.Requests, e.Value.Tokens, e.Value.Cost.Amount, e.Value.Errors))]);

    private static UsageCountsView Counts(UsageCounts c) => new(c.Requests, c.Tokens, c.Cost.Amount, c.Errors);
}
