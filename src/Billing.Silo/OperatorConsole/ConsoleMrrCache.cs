using Billing.Domain;
using Billing.Silo.Analytics;
using Microsoft.Extensions.Options;

namespace Billing.Silo.OperatorConsole;

/// <summary>
/// The overview's MRR chart, computed by one view at a time and reused for
/// <see cref="ConsoleOptions.MrrCacheSeconds"/> for the same months: concurrent views wait for the one
/// scan in flight instead of starting their own. The age is housekeeping, so it is measured in real
/// time (as the sweeps wait), not on the billing clock a test may freeze or jump.
/// </summary>
public sealed class ConsoleMrrCache(MrrQuery query, IOptions<ConsoleOptions> options)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly TimeSpan maxAge = TimeSpan.FromSeconds(options.Value.MrrCacheSeconds);
    // A reference, so a view reading it without the gate never sees half of an update.
    private volatile Entry? last;

    public async Task<MrrResult> GetAsync(MonthRange range, CancellationToken cancellationToken)
    {
        if (Fresh(range) is { } cached)
        {
            return cached;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            // Another view may have computed it while this one waited.
            if (Fresh(range) is { } computed)
            {
                return computed;
            }

            var result = await query.RunAsync(range, cancellationToken);
            last = new Entry(range, result, TimeProvider.System.GetTimestamp());
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    private MrrResult? Fresh(MonthRange range) =>
        last is { } entry && entry.Range == range && TimeProvider.System.GetElapsedTime(entry.ComputedAt) < maxAge ? entry.Result : null;

    private sealed record Entry(MonthRange Range, MrrResult Result, long ComputedAt);
}
