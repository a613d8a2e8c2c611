namespace Billing.Domain;

/// <summary>
/// The explicit rule for turning a sub-minor-unit amount (e.g. €0.0005 per call × 1,234 calls)
/// into something that can be invoiced. Every rounding in the domain names its policy.
/// </summary>
public readonly record struct RoundingPolicy
{
    public RoundingPolicy(RoundingMode mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown rounding mode.");
        }

        Mode = mode;
    }

    public RoundingMode Mode { get; }

    /// <summary>
    /// HalfEven. Accountants expect banker's rounding for VAT and invoice sums: rounding halves
    /// up always pushes totals upwards, so across thousands of lines the errors accumulate in
    /// one direction; half-even rounds half of the ties down and the errors cancel out.
    /// Equal to <c>default(RoundingPolicy)</c>.
    /// </summary>
    public static RoundingPolicy Default { get; } = new(RoundingMode.HalfEven);

    public static RoundingPolicy HalfEven { get; } = new(RoundingMode.HalfEven);

    public static RoundingPolicy HalfUp { get; } = new(RoundingMode.HalfUp);

    /// <summary>Rounds <paramref name="amount"/> to the minor unit of <paramref name="currency"/>.</summary>
    public decimal Round(decimal amount, Currency currency)
    {
        currency.EnsureKnown(nameof(currency));
        return decimal.Round(amount, currency.MinorUnitDigits, ToMidpointRounding());
    }

    /// <summary>Rounds a money amount to its currency's minor unit.</summary>
    public Money Round(Money money) => new(Round(money.Amount, money.Currency), money.Currency);

    public override string ToString() => Mode.ToString();

    /// <summary>
    /// For exact rational ties (used by <see cref="Money.Allocate(decimal[], RoundingPolicy)"/>):
    /// whether a magnitude exactly halfway between two minor units rounds up to the larger one.
    /// </summary>
    internal bool TieRoundsAwayFromZero(bool truncatedIsEven) => Mode switch
    {
        RoundingMode.HalfEven => !truncatedIsEven,
        RoundingMode.HalfUp => true,
        _ => throw new InvariantViolationException($"Unhandled rounding mode {Mode}."),
    };

    private MidpointRounding ToMidpointRounding() => Mode switch
    {
        RoundingMode.HalfEven => MidpointRounding.ToEven,
        RoundingMode.HalfUp => MidpointRounding.AwayFromZero,
        _ => throw new InvariantViolationException($"Unhandled rounding mode {Mode}."),
    };
}
