using FsCheck;
using FsCheck.Fluent;

namespace Billing.Domain.Tests;

/// <summary>Generators shared by the money and token property tests.</summary>
internal static class MoneyGenerators
{
    public static Gen<Currency> Currencies { get; } = Gen.Elements(Currency.Supported.ToArray());

    public static Gen<RoundingPolicy> Policies { get; } =
        Gen.Elements(RoundingPolicy.HalfEven, RoundingPolicy.HalfUp);

    /// <summary>Any long, with the extremes and zero over-represented.</summary>
    public static Gen<long> AnyLong { get; } = Gen.Frequency(
        (8, from high in Gen.Choose(int.MinValue, int.MaxValue)
            from low in Gen.Choose(int.MinValue, int.MaxValue)
            select ((long)high << 32) | (uint)low),
        (4, Gen.Choose(-100_000, 100_000).Select(value => (long)value)),
        (1, Gen.Elements(long.MinValue, long.MaxValue, 0L, 1L, -1L)));

    /// <summary>Rounded amounts up to about ±10^13 in the currency's minor units.</summary>
    public static Gen<Money> RoundedMoney { get; } =
        from currency in Currencies
        from minorUnits in Gen.Frequency(
            (1, Gen.Choose(-1_000, 1_000).Select(value => (long)value)),
            (1, from high in Gen.Choose(-10_000, 10_000)
                from low in Gen.Choose(0, 999_999_999)
                select (long)high * 1_000_000_000 + low))
        select Money.FromMinorUnits(minorUnits, currency);

    /// <summary>Decimals with 0 to 10 fractional digits, a fifth of them exact ties like 2.345 or 1234.5.</summary>
    public static Gen<decimal> PricingAmounts { get; } = Gen.Frequency(
        (4, from mantissa in AnyLong
            from scale in Gen.Choose(0, 10)
            let magnitude = mantissa == long.MinValue ? 1UL << 63 : (ulong)Math.Abs(mantissa)
            select new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, mantissa < 0, (byte)scale)),
        (1, from whole in Gen.Choose(-1_000_000, 1_000_000)
            from scale in Gen.Choose(1, 4)
            select new decimal(Math.Abs(whole) * 10 + 5, 0, 0, whole < 0, (byte)scale)));

    /// <summary>Non-empty ratio lists of non-negative numbers with at least one positive entry.</summary>
    public static Gen<decimal[]> Ratios { get; } =
        (from length in Gen.Choose(1, 12)
         from ratios in Gen.ArrayOf(
             from whole in Gen.Frequency((1, Gen.Constant(0)), (5, Gen.Choose(1, 10_000)))
             from scale in Gen.Choose(0, 4)
             select new decimal(whole, 0, 0, false, (byte)scale),
             length)
         select ratios)
        .Where(ratios => ratios.Sum() > 0m);
}
