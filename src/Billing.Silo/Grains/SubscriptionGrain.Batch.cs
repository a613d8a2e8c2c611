using Billing.Silo.Metering;
using Billing.Domain;
using Billing.Silo.Metering.Journal;
using NodaTime;

namespace Billing.Silo.Grains;

/// <summary>Usage batches: up to <see cref="MaxBatchSize"/> consumes in one call, in order.</summary>
public sealed partial class SubscriptionGrain
{
    public async Task<IReadOnlyList<ConsumeResult>> ConsumeBatchAsync(IReadOnlyList<ConsumeCommand> commands)
    {
        var results = await DecideBatchAsync(commands);
        foreach (var result in results)
        {
            metrics.Consumed(OutcomeNames[(int)result.Outcome]);
        }

        return results;
    }

    private async Task<IReadOnlyList<ConsumeResult>> DecideBatchAsync(IReadOnlyList<ConsumeCommand> commands)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(commands.Count, MaxBatchSize, nameof(commands));
        if (commands.All(c => c.IdempotencyKey is null))
        {
            return await ConsumeAllNowAsync(commands);
        }

        var accepted = new List<UsageRecord>(commands.Count);
        var answers = new List<Task<ConsumeResult>>(commands.Count);
        foreach (var command in commands)
        {
            // Each starts (and deducts) before the next, in order; all wait for durability together.
            answers.Add(ConsumeOneAsync(command, accepted));
        }

        var results = await Task.WhenAll(answers);
        TellShops(accepted);
        return results;
    }

    /// <summary>
    /// A batch without idempotency keys: decided in order in one pass, each event answered as a
    /// single consume would be, and made durable as one journal entry: one wait, not one per event.
    /// </summary>
    private async Task<IReadOnlyList<ConsumeResult>> ConsumeAllNowAsync(IReadOnlyList<ConsumeCommand> commands)
    {
        EnsureUsable();
        var now = time.GetUtcNow();
        var results = new ConsumeResult[commands.Count];
        var accepted = new List<UsageRecord>(commands.Count);
        var next = subscription;
        for (var i = 0; i < commands.Count; i++)
        {
            results[i] = Deduct(commands[i], ref next, now, out var usage);
            if (usage is not null)
            {
                accepted.Add(usage);
            }
        }

        if (accepted.Count > 0)
        {
            await CommitAsync(next, new JournalEntry(Balance(next, now), accepted));
            WatchTokens(accepted[^1], now);
            TellShops(accepted);
        }

        return results;
    }
}
