using Billing.Domain;
using Billing.Silo.Analytics;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.OperatorConsole;

/// <summary>The overview's analytics of one month: MRR over the chart's months, revenue of this month and the last.</summary>
public sealed record OverviewFigures(MonthRange MrrMonths, MrrResult Mrr, MonthRange RevenueMonths, IReadOnlyList<RevenueRow> Revenue);

/// <summary>
/// The overview's MRR and revenue, computed by one view at a time and reused for
/// <see cref="ConsoleOptions.OverviewCacheSeconds"/> within the same month: concurrent views wait for
/// the computation in flight instead of starting their own. Both read a month's worth of the whole
/// catalog (every shop's plan history; every invoice issued), 4 s on 100,000 shops. The age is
/// housekeeping, so it is measured in real time (as the sweeps wait), not on the billing clock a
/// test may freeze or jump.
/// </summary>
public sealed class ConsoleFiguresCache(MrrQuery mrr, RevenueQuery revenue, IOptions<ConsoleOptions> options)
{
    /// <summary>Months of MRR the overview's chart shows, this one included.</summary>
    public const int MrrChartMonths = 12;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly TimeSpan maxAge = TimeSpan.FromSeconds(options.Value.OverviewCacheSeconds);

    // A reference, so a view reading it without the gate never sees half of an update.
    private volatile Entry? last;

    public async Task<OverviewFigures> GetAsync(YearMonth thisMonth, CancellationToken cancellationToken)
    {
        if (Fresh(thisMonth) is { } cached)
        {
            return cached;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            // Another view may have computed it while this one waited.
            if (Fresh(thisMonth) is { } computed)
            {
                return computed;
            }

            // One scan of the plan history serves a year as well as a month: the chart's year it is.
            var mrrMonths = new MonthRange(thisMonth.PlusMonths(1 - MrrChartMonths), thisMonth);
            var revenueMonths = new MonthRange(thisMonth.PlusMonths(-1), thisMonth);
            var figures = new OverviewFigures(
                mrrMonths, await mrr.RunAsync(mrrMonths, cancellationToken), revenueMonths, await revenue.RunAsync(revenueMonths, cancellationToken));
            last = new Entry(thisMonth, figures, TimeProvider.System.GetTimestamp());
            return figures;
        }
        finally
        {
            gate.Release();
        }
    }

    private OverviewFigures? Fresh(YearMonth month) =>
        last is { } entry && entry.Month == month && TimeProvider.System.GetElapsedTime(entry.ComputedAt) < maxAge ? entry.Figures : null;

    private sealed record Entry(YearMonth Month, OverviewFigures Figures, long ComputedAt);
}
