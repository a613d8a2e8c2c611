using NodaTime;

namespace Billing.Domain;

/// <summary>What granting a plan gives: its tokens, for how long, at what price.</summary>
public sealed record PlanGrant(string PlanId, TokenAmount Tokens, Duration? Validity, Money Price)
{
    /// <summary>What buying or granting <paramref name="plan"/> gives: its tokens for its duration (none: until used up).</summary>
    public static PlanGrant Of(Plan plan) =>
        new(plan.Id, plan.TokensIncluded, plan.DurationDays is { } days ? Duration.FromDays(days) : null, plan.Price);

    /// <summary>The value of one token of this plan: price spread over its tokens, kept unrounded for usage costs.</summary>
    public Money PricePerToken => Tokens.IsZero ? Money.Zero(Price.Currency) : new Money(Price.Amount / Tokens.Value, Price.Currency);
}

public enum ConsumeDecision
{
    Accepted,
    InsufficientTokens,
    NoActiveSubscription,
}

/// <summary>
/// A customer's prepaid subscription (seed 001): active when switched on, tokens remain, and the
/// end date (if the plan has a duration) has not passed. Immutable; every change bumps
/// <see cref="Sequence"/>, which orders the usage journal per customer.
/// </summary>
public sealed record Subscription
{
    private Subscription(string customerId, string? planId, TokenLedger ledger, Instant? startedAt, Instant? endsAt, bool isActive, Money? pricePerToken, long sequence)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (endsAt is not null && startedAt is not null && endsAt < startedAt)
        {
            throw new InvariantViolationException($"Subscription of {customerId} ends ({endsAt}) before it starts ({startedAt}).");
        }

        CustomerId = customerId;
        PlanId = planId;
        Ledger = ledger;
        StartedAt = startedAt;
        EndsAt = endsAt;
        IsActive = isActive;
        PricePerToken = pricePerToken;
        Sequence = sequence;
    }

    public string CustomerId { get; }

    public string? PlanId { get; }

    public TokenLedger Ledger { get; }

    public Instant? StartedAt { get; }

    public Instant? EndsAt { get; }

    /// <summary>The switch an operator can turn off; whether tokens may be consumed is <see cref="IsActiveAt"/>.</summary>
    public bool IsActive { get; }

    public Money? PricePerToken { get; }

    public long Sequence { get; }

    public static Subscription None(string customerId) => new(customerId, null, TokenLedger.Empty, null, null, false, null, 0);

    /// <summary>Rebuilds a stored subscription; the ledger's invariant is checked again here.</summary>
    public static Subscription Restore(string customerId, string? planId, TokenLedger ledger, Instant? startedAt, Instant? endsAt, bool isActive, Money? pricePerToken, long sequence) =>
        new(customerId, planId, ledger, startedAt, endsAt, isActive, pricePerToken, sequence);

    public bool IsActiveAt(Instant now) => IsActive && !Ledger.Remaining.IsZero && (EndsAt is null || now <= EndsAt);

    public ConsumeDecision Decide(TokenAmount tokens, Instant now) =>
        !IsActiveAt(now) ? ConsumeDecision.NoActiveSubscription
        : Ledger.Remaining < tokens ? ConsumeDecision.InsufficientTokens
        : ConsumeDecision.Accepted;

    /// <summary>Deducts tokens; only after <see cref="Decide"/> said Accepted (otherwise it throws and nothing changes).</summary>
    public Subscription Consume(TokenAmount tokens, Instant now)
    {
        var decision = Decide(tokens, now);
        if (decision != ConsumeDecision.Accepted)
        {
            throw new InvalidOperationException($"Consuming {tokens} tokens for {CustomerId} was not accepted: {decision}.");
        }

        return new(CustomerId, PlanId, Ledger.Consume(tokens), StartedAt, EndsAt, IsActive, PricePerToken, Sequence + 1);
    }

    /// <summary>
    /// Grants or renews a plan: its tokens are added (unused tokens carry over), a running period is
    /// extended from its end, an ended one restarts now.
    /// </summary>
    public Subscription Grant(PlanGrant plan, Instant now)
    {
        var running = IsActive && (EndsAt is null || now <= EndsAt) && StartedAt is not null;
        var startedAt = running ? StartedAt : now;
        var extendFrom = running && EndsAt is { } end ? end : now;
        var endsAt = plan.Validity is { } validity ? extendFrom + validity : (Instant?)null;
        return new(CustomerId, plan.PlanId, Ledger.Grant(plan.Tokens), startedAt, endsAt, true, plan.PricePerToken, Sequence + 1);
    }

    /// <summary>
    /// Renews the period that ends at <paramref name="periodEnd"/>: the next one runs from that end,
    /// not from the renewal's payment, so a renewal paid late (on a dunning retry) keeps the anchor,
    /// as a subscription's periods do. Unused tokens carry over, as with <see cref="Grant"/>. When the
    /// subscription no longer ends there (another grant moved it), it is an ordinary grant.
    /// </summary>
    public Subscription Renew(PlanGrant plan, Instant periodEnd, Instant now)
    {
        if (plan.Validity is not { } validity)
        {
            throw new InvariantViolationException($"Plan {plan.PlanId} has no duration, so it has no period to renew.");
        }

        if (EndsAt != periodEnd || StartedAt is null || !IsActive)
        {
            return Grant(plan, now);
        }

        return new(CustomerId, plan.PlanId, Ledger.Grant(plan.Tokens), StartedAt, periodEnd + validity, true, plan.PricePerToken, Sequence + 1);
    }

    /// <summary>
    /// Adds tokens without renewing: plan, start, end and price per token stay as they are (a token
    /// pack). Only a subscription that has had a plan can be topped up.
    /// </summary>
    public Subscription TopUp(TokenAmount tokens)
    {
        if (PlanId is null || tokens.IsZero)
        {
            throw new InvalidOperationException($"Topping up {CustomerId} by {tokens} tokens needs a plan and at least one token.");
        }

        return new(CustomerId, PlanId, Ledger.Grant(tokens), StartedAt, EndsAt, IsActive, PricePerToken, Sequence + 1);
    }

    /// <summary>What a consumption of <paramref name="tokens"/> is worth at this plan's price (unrounded).</summary>
    public Money CostOf(TokenAmount tokens, Currency fallback) =>
        PricePerToken is { } price ? price * tokens.Value : Money.Zero(fallback);
}
