using Billing.Domain;
using Billing.Silo.Metering;
using Billing.Silo.Metering.Journal;

namespace Billing.Silo.Grains;

/// <summary>
/// Operators' top-ups: a grant of tokens on the current terms (plan, end date, price per token),
/// journaled like any grant so a replay after a restart rebuilds the same subscription. The grant
/// id is the request's, so token_grants' primary key admits each top-up once.
/// </summary>
public sealed partial class SubscriptionGrain
{
    // Top-ups this activation is writing: a retry arriving while the first waits for the journal
    // must wait for it too, not find the table empty (the grain is reentrant).
    private Dictionary<Guid, (TokenAmount Tokens, Task<TopUpResult> Writing)>? topUps;

    public async Task<TopUpResult> TopUpAsync(TokenTopUp topUp)
    {
        topUps ??= [];
        if (topUps.TryGetValue(topUp.GrantId, out var running))
        {
            var first = await running.Writing;
            return first.Outcome != TopUpOutcome.ToppedUp ? first
                : new TopUpResult(running.Tokens == topUp.Tokens ? TopUpOutcome.Replayed : TopUpOutcome.IdempotencyKeyReused, View(subscription));
        }

        var writing = TopUpOnceAsync(topUp);
        if (!writing.IsCompleted)
        {
            topUps[topUp.GrantId] = (topUp.Tokens, writing);
        }

        return await writing;
    }

    private async Task<TopUpResult> TopUpOnceAsync(TokenTopUp topUp)
    {
        try
        {
            EnsureUsable();
            if (await store.GrantTokensAsync(topUp.GrantId, CancellationToken.None) is { } stored)
            {
                var outcome = stored == topUp.Tokens.Value ? TopUpOutcome.Replayed : TopUpOutcome.IdempotencyKeyReused;
                return new TopUpResult(outcome, View(subscription));
            }

            if (subscription.PlanId is null)
            {
                return new TopUpResult(TopUpOutcome.NoSubscription, View(subscription));
            }

            var now = time.GetUtcNow();
            var next = subscription.TopUp(topUp.Tokens);
            var price = next.PricePerToken ?? throw new InvariantViolationException($"Subscription of {next.CustomerId} has plan {next.PlanId} but no price per token.");
            var startedAt = next.StartedAt ?? throw new InvariantViolationException($"Subscription of {next.CustomerId} has plan {next.PlanId} but no start.");
            var grant = new GrantRecord(
                topUp.GrantId, next.CustomerId, next.PlanId!, next.Sequence, topUp.Tokens.Value, now.ToUnixTimeMilliseconds(),
                startedAt.ToUnixTimeMilliseconds(), next.EndsAt?.ToUnixTimeMilliseconds(), MoneyNanos.FromMoney(price), price.Currency.Code);
            tokenWatch = tokenAlerts.Start(next); // before the await: consumes after the top-up count against the new balance
            await CommitAsync(next, new JournalEntry(Balance(next, now), grant: grant));
            return new TopUpResult(TopUpOutcome.ToppedUp, View(next));
        }
        finally
        {
            topUps?.Remove(topUp.GrantId);
        }
    }
}
