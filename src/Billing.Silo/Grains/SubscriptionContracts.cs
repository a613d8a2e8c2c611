using Billing.Silo.Metering;
using Billing.Domain;
using Orleans.Concurrency;

namespace Billing.Silo.Grains;

/// <summary>One metered call to authorise: who, how many tokens, and what for; <paramref name="OccurredAtMs"/> back-dates it (null: now).</summary>
/// <remarks>Immutable across the grain boundary: a local call passes it without a deep copy (the hot path).</remarks>
[GenerateSerializer, Immutable, Alias("billing.ConsumeCommand")]
public sealed record ConsumeCommand(
    [property: Id(0)] string ShopId,
    [property: Id(1)] string KeyId,
    [property: Id(2)] TokenAmount Tokens,
    [property: Id(3)] string? Description,
    [property: Id(4)] string? Endpoint,
    [property: Id(5)] string? Method,
    [property: Id(6)] int? StatusCode,
    [property: Id(7)] string? IdempotencyKey,
    [property: Id(8)] string? RequestHash,
    [property: Id(9)] long? OccurredAtMs = null);

[GenerateSerializer, Alias("billing.ConsumeOutcome")]
public enum ConsumeOutcome
{
    Accepted,
    Replayed,
    InsufficientTokens,
    NoActiveSubscription,
    IdempotencyKeyReused,

    /// <summary>An invoice stayed unpaid after every collection retry: nothing is deducted until it is paid.</summary>
    AccountSuspended,
}

/// <summary>The answer to a consume; an accepted one is durable before it is returned.</summary>
[GenerateSerializer, Immutable, Alias("billing.ConsumeResult")]
public sealed record ConsumeResult(
    [property: Id(0)] ConsumeOutcome Outcome, [property: Id(1)] long TokensRemaining, [property: Id(2)] long UsedTokens, [property: Id(3)] Guid? UsageId)
{
    public bool IsAccepted => Outcome is ConsumeOutcome.Accepted or ConsumeOutcome.Replayed;
}

/// <summary>A customer's subscription as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("billing.SubscriptionView")]
public sealed record SubscriptionView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string? PlanId,
    [property: Id(2)] long TokensGranted,
    [property: Id(3)] long TokensRemaining,
    [property: Id(4)] long TokensConsumed,
    [property: Id(5)] DateTimeOffset? StartedAt,
    [property: Id(6)] DateTimeOffset? EndsAt,
    [property: Id(7)] bool IsActive,
    [property: Id(8)] bool IsSuspended = false);

/// <summary>The grain per customer subscription: decides every metered call in memory.</summary>
[Alias("billing.ISubscriptionGrain")]
public interface ISubscriptionGrain : IGrainWithStringKey
{
    /// <summary>The customer's test clock was advanced to <paramref name="atMs"/> (Unix ms): its consumes are stamped from then on.</summary>
    [Alias("move-clock")]
    Task MoveClockAsync(string clockId, long atMs);

    [Alias("consume")]
    Task<ConsumeResult> ConsumeAsync([Immutable] ConsumeCommand command);

    /// <summary>Consumes each command in order; each gets its own result; one durable wait for all.</summary>
    [Alias("consume-batch")]
    Task<IReadOnlyList<ConsumeResult>> ConsumeBatchAsync([Immutable] IReadOnlyList<ConsumeCommand> commands);

    [Alias("grant")]
    Task<SubscriptionView> GrantAsync([Immutable] PlanGrant plan);

    /// <summary>
    /// Grants a paid plan once per payment: the grant's id is the payment's, so a retried purchase
    /// or a sweep after a crash finds it granted and only answers the subscription.
    /// </summary>
    [Alias("grant-for-payment")]
    Task<SubscriptionView> GrantForPaymentAsync([Immutable] PlanGrant plan, Guid paymentId);

    /// <summary>
    /// Renews the period ending at <paramref name="periodEnd"/> once per payment (the grant's id is
    /// the payment's): the next period runs from that end, even when the renewal was paid late.
    /// </summary>
    [Alias("renew-for-payment")]
    Task<SubscriptionView> RenewForPaymentAsync([Immutable] PlanGrant plan, Guid paymentId, DateTimeOffset periodEnd);

    /// <summary>Suspends the account for an invoice left unpaid after dunning (again: no change); consumes are refused from now on.</summary>
    [Alias("suspend")]
    Task<SubscriptionView> SuspendAsync(string invoiceId);

    /// <summary>Lifts the invoice's suspension (paid or waived); consumes pass at once when no other invoice suspends the account.</summary>
    [Alias("reinstate")]
    Task<SubscriptionView> ReinstateAsync(string invoiceId);

    /// <summary>Adds tokens without renewing the plan (its end date and price per token stay); once per grant id.</summary>
    [Alias("top-up")]
    Task<TopUpResult> TopUpAsync([Immutable] TokenTopUp topUp);

    [Alias("get")]
    [ReadOnly]
    Task<SubscriptionView> GetAsync();
}

/// <summary>
/// An operator's top-up: tokens added without renewing the plan. <paramref name="GrantId"/> comes
/// from the request's Idempotency-Key, so token_grants' primary key admits each top-up once.
/// </summary>
[GenerateSerializer, Immutable, Alias("billing.TokenTopUp")]
public sealed record TokenTopUp([property: Id(0)] Guid GrantId, [property: Id(1)] TokenAmount Tokens);

[GenerateSerializer, Alias("billing.TopUpOutcome")]
public enum TopUpOutcome
{
    ToppedUp,

    /// <summary>The same top-up again: nothing was added this time.</summary>
    Replayed,

    /// <summary>No plan was ever granted: there is nothing to top up.</summary>
    NoSubscription,

    /// <summary>The key's top-up was of another number of tokens.</summary>
    IdempotencyKeyReused,
}

[GenerateSerializer, Immutable, Alias("billing.TopUpResult")]
public sealed record TopUpResult([property: Id(0)] TopUpOutcome Outcome, [property: Id(1)] SubscriptionView Subscription);
