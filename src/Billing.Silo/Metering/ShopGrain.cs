using Billing.Domain;
using Billing.Runtime;
using Billing.Silo.Metering.Journal;
using NodaTime;

namespace Billing.Silo.Metering;

/// <summary>
/// One shop's current billing period (a calendar month in its customer's zone). It keeps no state
/// of its own: on activation it aggregates the period from the durable usage events, then adds the
/// events the subscription grain tells it about, skipping those the aggregate already held.
/// </summary>
[GrainType("shop")]
public sealed class ShopGrain(IShopProfiles profiles, ShopUsageReader reader) : Grain, IShopGrain
{
    private ShopProfile profile = null!;
    private PeriodUsage current = null!;
    private long aggregatedUpToSequence;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        profile = await profiles.GetAsync(GetPrimaryKeyString(), cancellationToken)
            ?? throw new InvalidOperationException($"Shop {GetPrimaryKeyString()} does not exist.");
        await LoadPeriodAsync(Now(), cancellationToken);
    }

    public async Task RecordAsync(IReadOnlyList<UsageRecord> usage)
    {
        foreach (var record in usage.Where(r => r.Sequence > aggregatedUpToSequence))
        {
            var at = Instant.FromUnixTimeMilliseconds(record.OccurredAtMs);
            if (at >= current.Period.EndInstant)
            {
                // The period ended: the next one starts from storage, which already holds this event.
                await LoadPeriodAsync(at, CancellationToken.None);
                continue;
            }

            current.Record(new UsageFact(
                at, 1, record.Tokens, MoneyNanos.ToMoney(record.CostNanos, current.Currency), record.Endpoint, record.StatusCode >= 400 ? 1 : 0));
        }
    }

    public async Task<ShopUsageView> GetCurrentPeriodAsync()
    {
        var now = Now();
        if (now >= current.Period.EndInstant)
        {
            await LoadPeriodAsync(now, CancellationToken.None);
        }

        return View(current);
    }

    private async Task LoadPeriodAsync(Instant at, CancellationToken cancellationToken)
    {
        var period = BillingPeriod.MonthContaining(at, profile.TimeZone);
        var usage = new PeriodUsage(period, profile.Currency);
        aggregatedUpToSequence = await reader.RebuildAsync(profile.ShopId, profile.CustomerId, usage, cancellationToken);
        current = usage;
    }

    private Instant Now() => Instant.FromDateTimeOffset(TimeProvider.GetUtcNow());

    private ShopUsageView View(PeriodUsage usage) => new(
        profile.ShopId,
        usage.Period.Start.ToDateOnly(),
        usage.Period.EndExclusive.ToDateOnly(),
        usage.Period.ZoneId,
        usage.Currency.Code,
        Counts(usage.Totals),
        [.. usage.Days.Select(d => new DailyUsageView(d.Key.ToDateOnly(), d.Value.Requests, d.Value.Tokens, d.Value.Cost.Amount, d.Value.Errors))],
        [.. usage.Endpoints.OrderByDescending(e => e.Value.Requests).Select(e => new EndpointUsageView(e.Key, e.Value.Requests, e.Value.Tokens, e.Value.Cost.Amount, e.Value.Errors))]);

    private static UsageCountsView Counts(UsageCounts c) => new(c.Requests, c.Tokens, c.Cost.Amount, c.Errors);
}
