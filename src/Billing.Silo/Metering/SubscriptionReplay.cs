using Billing.Domain;
using Billing.Silo.Metering.Journal;
using NodaTime;

namespace Billing.Silo.Metering;

/// <summary>Rebuilds a subscription from its last snapshot and the events committed after it.</summary>
internal static class SubscriptionReplay
{
    public static Subscription? Apply(string customerId, Subscription? snapshot, IReadOnlyList<GrantRecord> grantsAfter, long tokensUsedAfter, long lastUsageSequence)
    {
        if (snapshot is null && grantsAfter.Count == 0 && tokensUsedAfter == 0)
        {
            return null;
        }

        var current = snapshot ?? Subscription.None(customerId);
        var granted = current.Ledger.Granted + new TokenAmount(grantsAfter.Sum(g => g.Tokens));
        var consumed = current.Ledger.Consumed + new TokenAmount(tokensUsedAfter);
        if (consumed > granted)
        {
            throw new InvariantViolationException($"Customer {customerId} has consumed {consumed} tokens of {granted} granted: the events contradict each other.");
        }

        var ledger = new TokenLedger(granted, new TokenAmount(granted.Value - consumed.Value), consumed);
        var sequence = Math.Max(current.Sequence, Math.Max(lastUsageSequence, grantsAfter.Count == 0 ? 0 : grantsAfter[^1].Sequence));
        if (grantsAfter.Count == 0)
        {
            return Subscription.Restore(customerId, current.PlanId, ledger, current.StartedAt, current.EndsAt, current.IsActive, current.PricePerToken, sequence);
        }

        // The latest grant carries the terms the subscription has had since.
        var last = grantsAfter[^1];
        return Subscription.Restore(
            customerId, last.PlanId, ledger, Instant.FromUnixTimeMilliseconds(last.StartedAtMs),
            last.EndsAtMs is { } ends ? Instant.FromUnixTimeMilliseconds(ends) : null, true,
            MoneyNanos.ToMoney(last.PricePerTokenNanos, Currency.Parse(last.Currency)), sequence);
    }
}
