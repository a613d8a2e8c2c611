namespace Billing.Domain;

/// <summary>
/// Token balance of one account: what was granted, what is left, what was consumed.
/// Immutable; every operation returns a new ledger, and every construction checks
/// <c>Granted == Remaining + Consumed</c> (in release builds too) so a corrupt balance cannot exist.
/// </summary>
public readonly record struct TokenLedger
{
    public TokenLedger(TokenAmount granted, TokenAmount remaining, TokenAmount consumed)
    {
        // Compare without TokenAmount addition: an overflowing sum must report the broken
        // invariant, not an unrelated OverflowException.
        if ((ulong)remaining.Value + (ulong)consumed.Value != (ulong)granted.Value)
        {
            throw new InvariantViolationException(
                $"Token ledger must satisfy Granted == Remaining + Consumed, got granted {granted}, remaining {remaining}, consumed {consumed}.");
        }

        Granted = granted;
        Remaining = remaining;
        Consumed = consumed;
    }

    /// <summary>A ledger with nothing granted (equal to <c>default(TokenLedger)</c>).</summary>
    public static TokenLedger Empty => default;

    public TokenAmount Granted { get; }

    public TokenAmount Remaining { get; }

    public TokenAmount Consumed { get; }

    /// <summary>Adds tokens to both the granted total and the remaining balance.</summary>
    public TokenLedger Grant(TokenAmount tokens) =>
        new(Granted + tokens, Remaining + tokens, Consumed);

    /// <summary>
    /// Moves <paramref name="tokens"/> from remaining to consumed. Throws
    /// <see cref="InsufficientTokensException"/> if fewer remain; this ledger is unchanged either way.
    /// </summary>
    public TokenLedger Consume(TokenAmount tokens) =>
        new(Granted, Remaining - tokens, Consumed + tokens);

    public override string ToString() =>
        $"granted {Granted}, remaining {Remaining}, consumed {Consumed}";
}
