using Billing.Domain;
using Billing.Runtime;
using Billing.Runtime.Core;

namespace Billing.Silo.Metering;

/// <summary>One metered call to authorise: who, how many tokens, and what for; <paramref name="OccurredAtMs"/> back-dates it (null: now).</summary>
public sealed record ConsumeCommand(
    string ShopId,
    string KeyId,
    TokenAmount Tokens,
    string? Description,
    string? Endpoint,
    string? Method,
    int? StatusCode,
    string? IdempotencyKey,
    string? RequestHash,
    long? OccurredAtMs = null);

public enum ConsumeOutcome
{
    Accepted,
    Replayed,
    InsufficientTokens,
    NoActiveSubscription,
    IdempotencyKeyReused,
}

/// <summary>The answer to a consume; an accepted one is durable before it is returned.</summary>
public sealed record ConsumeResult(ConsumeOutcome Outcome, long TokensRemaining, long UsedTokens, Guid? UsageId)
{
    public bool IsAccepted => Outcome is ConsumeOutcome.Accepted or ConsumeOutcome.Replayed;
}

/// <summary>A customer's subscription as the API shows it.</summary>
public sealed record SubscriptionView(
    string CustomerId,
    string? PlanId,
    long TokensGranted,
    long TokensRemaining,
    long TokensConsumed,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndsAt,
    bool IsActive);

/// <summary>The grain per customer subscription: decides every metered call in memory.</summary>
public interface ISubscriptionGrain : IGrainWithStringKey
{
    Task<ConsumeResult> ConsumeAsync(ConsumeCommand command);

    /// <summary>Consumes each command in order; each gets its own result; one durable wait for all.</summary>
    Task<IReadOnlyList<ConsumeResult>> ConsumeBatchAsync(IReadOnlyList<ConsumeCommand> commands);

    Task<SubscriptionView> GrantAsync(PlanGrant plan);

    Task<SubscriptionView> GetAsync();
}

internal sealed class SubscriptionGrainProxy(GrainReference grain) : ISubscriptionGrain
{
    public Task<ConsumeResult> ConsumeAsync(ConsumeCommand command) => grain.InvokeAsync((ISubscriptionGrain g) => g.ConsumeAsync(command));

    public Task<IReadOnlyList<ConsumeResult>> ConsumeBatchAsync(IReadOnlyList<ConsumeCommand> commands) =>
        grain.InvokeAsync((ISubscriptionGrain g) => g.ConsumeBatchAsync(commands));

    public Task<SubscriptionView> GrantAsync(PlanGrant plan) => grain.InvokeAsync((ISubscriptionGrain g) => g.GrantAsync(plan));

    public Task<SubscriptionView> GetAsync() => grain.InvokeAsync((ISubscriptionGrain g) => g.GetAsync());
}
