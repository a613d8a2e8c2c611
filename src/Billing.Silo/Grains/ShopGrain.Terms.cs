using Billing.Silo.Metering;
using Billing.Domain;
using Billing.Silo.Invoicing;

namespace Billing.Silo.Grains;

/// <summary>The shop's terms change here, one call at a time with its closes, so a change never lands between a close's reads and its commit.</summary>
public sealed partial class ShopGrain
{
    public async Task<TermsChangeResult> ChangeTermsAsync(TermsChangeRequest request)
    {
        await ProfileAsync(CancellationToken.None);
        var result = await termsChanges.ApplyAsync(ShopId, request, Now(), CancellationToken.None);
        if (result.Change is not { } change)
        {
            return result;
        }

        LogTermsChanged(logger, ShopId, change.Kind, change.EffectiveDate?.ToDateOnly(), change.Lines.Count);
        TrackOpenPeriod(change.OpenPeriod);
        cycle = BillingCycles.Parse(change.Cycle);
        // A cycle change may move the open period's end, and so the reminder; otherwise this is a no-op.
        await EnsureReminderAsync(change.OpenPeriod);

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop {ShopId}: terms changed ({Kind}, effective {EffectiveDate}), {Lines} proration line(s) pending")]
    private static partial void LogTermsChanged(ILogger logger, string shopId, TermsChangeKind kind, DateOnly? effectiveDate, int lines);
}
