using System.Numerics;

namespace Billing.Domain;

public readonly partial record struct Money
{
    /// <summary>
    /// Splits this rounded amount into <paramref name="parts"/> rounded parts that add up exactly,
    /// e.g. EUR 100.00 into 3 → 33.34, 33.33, 33.33 (earlier parts take the leftover cents).
    /// </summary>
    public IReadOnlyList<Money> Allocate(int parts)
    {
        if (parts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(parts), parts, "Allocate needs at least one part.");
        }

        var equalRatios = new decimal[parts];
        Array.Fill(equalRatios, 1m);
        return Allocate(equalRatios, RoundingPolicy.Default);
    }

    /// <summary>
    /// Splits this rounded amount in proportion to <paramref name="ratios"/> (used to spread a credit
    /// over invoice lines). Each ideal share is rounded to the minor unit with <paramref name="policy"/>,
    /// which decides exact ties; the leftover minor units (the rounding residue) are then handed out
    /// one per part to the parts whose rounding was furthest from their ideal share (largest
    /// remainder); on ties earlier parts get the larger magnitude. The parts always add up to exactly
    /// this amount, each is within one minor unit of its ideal share, and zero ratios get zero.
    /// The amount must fit in a 64-bit count of minor units (see <see cref="ToMinorUnits"/>).
    /// </summary>
    public IReadOnlyList<Money> Allocate(decimal[] ratios, RoundingPolicy policy)
    {
        var weights = ToIntegerWeights(ratios);
        if (!IsRounded)
        {
            throw new InvalidOperationException(
                $"Only a rounded amount can be allocated; {this} carries sub-minor precision. Call RoundTo(policy) first.");
        }

        // Work on the magnitude in exact integer minor units: ideal shares are rationals
        // (units × weight / total weight), so ties and remainders are detected exactly, and
        // both rounding modes are symmetric, so the sign is simply put back at the end.
        var totalUnits = ToMinorUnits();
        var magnitudeUnits = BigInteger.Abs(totalUnits);
        var shares = RoundIdealShares(magnitudeUnits, weights, policy);
        SettleRoundingResidue(magnitudeUnits, shares);

        var sign = Math.Sign(totalUnits);
        var currency = Currency;
        var parts = Array.ConvertAll(shares, share => FromMinorUnits((long)(sign * share.Units), currency));
        if (parts.Sum(part => part.ToMinorUnits()) != totalUnits)
        {
            throw new InvariantViolationException($"Allocation of {this} does not add up: {string.Join(", ", parts)}.");
        }

        return Array.AsReadOnly(parts);
    }

    /// <summary>A rounded share in minor units and its rounding error (ideal − rounded) scaled by the total weight.</summary>
    private sealed class Share(BigInteger units, BigInteger scaledError, bool hasWeight)
    {
        public BigInteger Units { get; set; } = units;

        public BigInteger ScaledError { get; } = scaledError;

        public bool HasWeight { get; } = hasWeight;
    }

    private static Share[] RoundIdealShares(BigInteger magnitudeUnits, BigInteger[] weights, RoundingPolicy policy)
    {
        var totalWeight = weights.Aggregate(BigInteger.Zero, BigInteger.Add);
        return Array.ConvertAll(weights, weight =>
        {
            var truncated = BigInteger.DivRem(magnitudeUnits * weight, totalWeight, out var remainder);
            var twiceRemainder = remainder * 2;
            var roundsUp = twiceRemainder > totalWeight
                || (twiceRemainder == totalWeight && policy.TieRoundsAwayFromZero(truncated.IsEven));
            return roundsUp
                ? new Share(truncated + 1, remainder - totalWeight, !weight.IsZero)
                : new Share(truncated, remainder, !weight.IsZero);
        });
    }

    private void SettleRoundingResidue(BigInteger magnitudeUnits, Share[] shares)
    {
        var residue = magnitudeUnits - shares.Aggregate(BigInteger.Zero, (sum, share) => sum + share.Units);
        if (residue.IsZero)
        {
            return;
        }

        // Positive residue: add a unit where rounding cut the most off. Negative residue: take a unit
        // where rounding added the most. Ties: earlier parts keep the larger magnitude.
        var direction = residue.Sign;
        var candidates = shares
            .Select((share, index) => (share, index))
            .Where(candidate => candidate.share.HasWeight)
            .OrderByDescending(candidate => direction * candidate.share.ScaledError)
            .ThenBy(candidate => direction * candidate.index)
            .Take((int)BigInteger.Min(BigInteger.Abs(residue), shares.Length))
            .ToArray();
        if (candidates.Length != BigInteger.Abs(residue))
        {
            throw new InvariantViolationException(
                $"Rounding residue of {residue} minor units exceeds one per part while allocating {this}.");
        }

        foreach (var (share, _) in candidates)
        {
            share.Units += direction;
        }
    }

    private static BigInteger[] ToIntegerWeights(decimal[] ratios)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        if (ratios.Length == 0 || Array.Exists(ratios, ratio => ratio < 0m))
        {
            throw new ArgumentException("Ratios must be a non-empty list of non-negative numbers.", nameof(ratios));
        }

        // Scale every ratio to the largest scale so they become exact integers (0.5 and 2 → 5 and 20).
        var commonScale = ratios.Max(ratio => ratio.Scale);
        var weights = Array.ConvertAll(ratios, ratio => Mantissa(ratio) * BigInteger.Pow(10, commonScale - ratio.Scale));
        if (Array.TrueForAll(weights, weight => weight.IsZero))
        {
            throw new ArgumentException("At least one ratio must be positive.", nameof(ratios));
        }

        return weights;
    }

    private static BigInteger Mantissa(decimal nonNegative)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(nonNegative, bits);
        return ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
    }
}
