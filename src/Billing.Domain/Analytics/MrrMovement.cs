namespace Billing.Domain;

/// <summary>How a customer's MRR moved from one month's end to the next.</summary>
public enum MrrMovementKind
{
    /// <summary>Unchanged (also: zero at both ends).</summary>
    None = 1,

    /// <summary>From zero to paying, never having paid at an earlier month's end.</summary>
    New = 2,

    /// <summary>Paying more than at the month before's end.</summary>
    Expansion = 3,

    /// <summary>Paying less, but still paying.</summary>
    Contraction = 4,

    /// <summary>From paying to zero.</summary>
    Churn = 5,

    /// <summary>From zero to paying again, having paid at an earlier month's end.</summary>
    Reactivation = 6,
}

/// <summary>One customer's movement and its size (never negative: contraction and churn are amounts lost).</summary>
public readonly record struct MrrMovement(MrrMovementKind Kind, Money Amount)
{
    /// <summary>
    /// Classifies the change from <paramref name="previous"/> (MRR at the previous month's end) to
    /// <paramref name="current"/>; <paramref name="paidBefore"/> says whether the customer had MRR
    /// above zero at any month's end before the previous one, which tells reactivation from new.
    /// </summary>
    public static MrrMovement Classify(Money previous, Money current, bool paidBefore)
    {
        if (previous.IsNegative || current.IsNegative)
        {
            throw new InvariantViolationException($"MRR cannot be negative (got {previous} → {current}).");
        }

        var zero = Money.Zero(current.Currency);
        return (previous.IsZero, current.IsZero) switch
        {
            (true, true) => new(MrrMovementKind.None, zero),
            (true, false) => new(paidBefore ? MrrMovementKind.Reactivation : MrrMovementKind.New, current),
            (false, true) => new(MrrMovementKind.Churn, previous),
            _ when current > previous => new(MrrMovementKind.Expansion, current - previous),
            _ when current < previous => new(MrrMovementKind.Contraction, previous - current),
            _ => new(MrrMovementKind.None, zero),
        };
    }
}
