using NodaTime;

namespace Billing.Domain;

/// <summary>
/// Where one customer's current grant stands against the token thresholds, kept by the
/// subscription grain so that each consume costs one comparison (<see cref="IsDue"/>) and no
/// allocation. <c>default</c> is a watch that is never due.
/// </summary>
public readonly record struct TokenAlertWatch
{
    private readonly TokenThresholds? thresholds;

    /// <summary>The next threshold is reached once the balance drops below this; 0 never happens (balances are not negative).</summary>
    private readonly long dueBelowRemaining;

    private TokenAlertWatch(TokenThresholds thresholds, long grantSequence, long allowanceTokens, int handedOn)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(allowanceTokens);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(handedOn, thresholds.Count);
        this.thresholds = thresholds;
        GrantSequence = grantSequence;
        AllowanceTokens = allowanceTokens;
        HandedOn = handedOn;
        dueBelowRemaining = handedOn < thresholds.Count && allowanceTokens > 0 ? thresholds.ReachedAtRemaining(allowanceTokens, handedOn) + 1 : 0;
    }

    /// <summary>The ledger sequence of the grant being watched; usage decided before it belongs to an earlier grant.</summary>
    public long GrantSequence { get; }

    /// <summary>The tokens the grant made available (its own plus those carried over).</summary>
    public long AllowanceTokens { get; }

    /// <summary>How many thresholds, lowest first, have been handed on as alerts.</summary>
    public int HandedOn { get; }

    public static TokenAlertWatch Start(TokenThresholds thresholds, long grantSequence, long allowanceTokens) =>
        new(thresholds, grantSequence, allowanceTokens, 0);

    /// <summary>True when usage at <paramref name="sequence"/> leaving <paramref name="remainingTokens"/> reaches a threshold not yet handed on.</summary>
    public bool IsDue(long sequence, long remainingTokens) => remainingTokens < dueBelowRemaining && sequence > GrantSequence;

    /// <summary>How many thresholds, lowest first, a balance of <paramref name="remainingTokens"/> has reached.</summary>
    public int ReachedCount(long remainingTokens)
    {
        var reached = 0;
        while (thresholds is not null && AllowanceTokens > 0 && reached < thresholds.Count && remainingTokens <= thresholds.ReachedAtRemaining(AllowanceTokens, reached))
        {
            reached++;
        }

        return reached;
    }

    /// <summary>The alert for threshold <paramref name="index"/> of this grant, as a balance of <paramref name="remainingTokens"/> shows it.</summary>
    public Alert AlertFor(int index, string customerId, long remainingTokens, Instant raisedAt) =>
        Thresholds.AlertFor(index, customerId, GrantSequence, AllowanceTokens, remainingTokens, raisedAt);

    /// <summary>The same watch with the first <paramref name="count"/> thresholds handed on; it never moves back.</summary>
    public TokenAlertWatch HandedOnUpTo(int count) => count <= HandedOn ? this : new(Thresholds, GrantSequence, AllowanceTokens, count);

    private TokenThresholds Thresholds => thresholds ?? throw new InvalidOperationException("An empty token watch has no thresholds.");
}
