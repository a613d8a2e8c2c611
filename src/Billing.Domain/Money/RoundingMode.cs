namespace Billing.Domain;

/// <summary>How a value exactly halfway between two minor units is rounded.</summary>
public enum RoundingMode
{
    /// <summary>
    /// Banker's rounding: halves go to the even neighbour (2.345 → 2.34, 2.355 → 2.36).
    /// Kept as the zero value so <c>default(RoundingPolicy)</c> is the documented default.
    /// </summary>
    HalfEven = 0,

    /// <summary>Halves go away from zero (2.345 → 2.35, -2.345 → -2.35), as on most shop receipts.</summary>
    HalfUp = 1,
}
