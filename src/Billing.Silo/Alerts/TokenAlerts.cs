using Billing.Domain;
using Billing.Silo.Metering;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Alerts;

/// <summary>
/// What the subscription grain needs for token alerts: a watch per grant, and a way to hand
/// reached thresholds to the <see cref="AlertOutbox"/> without waiting. The grain only calls
/// <see cref="Raise"/> when its watch says a threshold is due (one comparison per consume).
/// </summary>
public sealed class TokenAlerts(AlertOutbox outbox, IOptions<AlertOptions> options)
{
    private readonly TokenThresholds? thresholds = options.Value.Enabled ? options.Value.TokenRules : null;

    /// <summary>
    /// The watch of an activating subscription's current grant (read with it, in the activation's one
    /// round trip: <see cref="MeteringStore.LoadActivationAsync"/>). Thresholds its balance has already
    /// reached are raised again: the insert is idempotent, and this is how an alert lost in a full
    /// queue or a crash is eventually raised.
    /// </summary>
    public TokenAlertWatch Resume(Subscription subscription, CurrentGrant? latestGrant, Instant now)
    {
        if (thresholds is null || subscription.PlanId is null || latestGrant is null)
        {
            return default;
        }

        var remaining = subscription.Ledger.Remaining.Value;
        var watch = TokenAlertWatch.Start(thresholds, latestGrant.Sequence, Math.Max(latestGrant.AllowanceTokens ?? remaining, remaining));
        return Raise(watch, subscription.CustomerId, remaining, now);
    }

    /// <summary>The watch of the grant that produced <paramref name="granted"/>: its balance is the allowance.</summary>
    public TokenAlertWatch Start(Subscription granted) =>
        thresholds is null ? default : TokenAlertWatch.Start(thresholds, granted.Sequence, granted.Ledger.Remaining.Value);

    /// <summary>Queues every threshold reached and not yet handed on; the watch advances only past those the queue took.</summary>
    public TokenAlertWatch Raise(TokenAlertWatch watch, string customerId, long remainingTokens, Instant now)
    {
        var reached = watch.ReachedCount(remainingTokens);
        var handedOn = watch.HandedOn;
        while (handedOn < reached && outbox.TryRaise(watch.AlertFor(handedOn, customerId, remainingTokens, now)))
        {
            handedOn++;
        }

        return watch.HandedOnUpTo(handedOn);
    }
}
