namespace Billing.Domain.Tests;

public class MoneyAllocationTests
{
    private static Money Eur(decimal amount) => new(amount, Currency.EUR);

    private static decimal[] Amounts(IEnumerable<Money> parts) => [.. parts.Select(part => part.Amount)];

    [Fact]
    public void Allocating_100_euros_three_ways_gives_the_leftover_cent_to_the_first_part()
    {
        var parts = Eur(100.00m).Allocate(3);

        Assert.Equal([33.34m, 33.33m, 33.33m], Amounts(parts));
        Assert.Equal(Eur(100.00m), Money.Sum(parts, Currency.EUR));
        Assert.All(parts, part => Assert.Equal(Currency.EUR, part.Currency));
    }

    [Fact]
    public void Allocating_a_negative_credit_mirrors_the_positive_split()
    {
        Assert.Equal([-33.34m, -33.33m, -33.33m], Amounts(Eur(-100.00m).Allocate(3)));
    }

    [Fact]
    public void Allocating_yen_hands_out_whole_yen()
    {
        Assert.Equal([34m, 33m, 33m], Amounts(new Money(100m, Currency.JPY).Allocate(3)));
    }

    [Fact]
    public void Allocating_one_cent_over_three_parts_leaves_two_parts_empty()
    {
        Assert.Equal([0.01m, 0m, 0m], Amounts(Eur(0.01m).Allocate(3)));
    }

    [Fact]
    public void Allocating_by_ratios_splits_proportionally()
    {
        var parts = Eur(100.00m).Allocate([1m, 2m, 7m], RoundingPolicy.Default);

        Assert.Equal([10.00m, 20.00m, 70.00m], Amounts(parts));
    }

    [Fact]
    public void Allocating_by_ratios_gives_the_leftover_cent_to_the_largest_remainder()
    {
        // 1.00 by 2:3:4 → ideal 0.2222.., 0.3333.., 0.4444.. → 0.22 + 0.33 + 0.44 = 0.99; the last share lost most.
        Assert.Equal([0.22m, 0.33m, 0.45m], Amounts(Eur(1.00m).Allocate([2m, 3m, 4m], RoundingPolicy.Default)));
        // 1.00 by 2:5:6 → ideal 0.1538.., 0.3846.., 0.4615.. → 0.15 + 0.38 + 0.46 = 0.99; the middle share lost most.
        Assert.Equal([0.15m, 0.39m, 0.46m], Amounts(Eur(1.00m).Allocate([2m, 5m, 6m], RoundingPolicy.Default)));
    }

    [Fact]
    public void Allocating_one_euro_six_ways_takes_surplus_cents_from_the_last_parts()
    {
        // Each ideal share is 0.1666..; all round up to 0.17 (1.02 in total), so two cents come back off.
        var parts = Eur(1.00m).Allocate(6);

        Assert.Equal([0.17m, 0.17m, 0.17m, 0.17m, 0.16m, 0.16m], Amounts(parts));
    }

    [Fact]
    public void Rounding_policy_decides_exact_ties_between_ideal_shares()
    {
        // Ideal shares are exactly 0.025 and 0.035.
        var halfEven = Eur(0.06m).Allocate([5m, 7m], RoundingPolicy.HalfEven);
        var halfUp = Eur(0.06m).Allocate([5m, 7m], RoundingPolicy.HalfUp);

        Assert.Equal([0.02m, 0.04m], Amounts(halfEven));
        Assert.Equal([0.03m, 0.03m], Amounts(halfUp));
    }

    [Fact]
    public void Zero_ratios_receive_nothing()
    {
        Assert.Equal([0m, 5.00m, 5.00m], Amounts(Eur(10.00m).Allocate([0m, 1m, 1m], RoundingPolicy.Default)));
    }

    [Fact]
    public void Allocating_an_unrounded_amount_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => Eur(0.005m).Allocate(2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Allocating_into_fewer_than_one_part_is_refused(int parts)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Eur(1m).Allocate(parts));
    }

    [Fact]
    public void Invalid_ratios_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Eur(1m).Allocate([], RoundingPolicy.Default));
        Assert.Throws<ArgumentException>(() => Eur(1m).Allocate([0m, 0m], RoundingPolicy.Default));
        Assert.Throws<ArgumentException>(() => Eur(1m).Allocate([2m, -1m], RoundingPolicy.Default));
        Assert.Throws<ArgumentNullException>(() => Eur(1m).Allocate(null!, RoundingPolicy.Default));
    }

    [Fact]
    public void Huge_and_finely_scaled_ratios_are_split_exactly()
    {
        var parts = Eur(10.00m).Allocate([decimal.MaxValue, decimal.MaxValue, 0.0000000000000000000000000001m], RoundingPolicy.Default);

        Assert.Equal([5.00m, 5.00m, 0.00m], Amounts(parts));
    }

    [Fact]
    public void Amounts_at_the_limit_of_64_bit_minor_units_are_split_exactly()
    {
        var largest = Money.FromMinorUnits(long.MaxValue, Currency.EUR);
        var smallest = Money.FromMinorUnits(long.MinValue, Currency.EUR);

        Assert.Equal(largest, Money.Sum(largest.Allocate(3), Currency.EUR));
        Assert.Equal([smallest], smallest.Allocate(1));
    }

    [Fact]
    public void Amounts_beyond_64_bit_minor_units_cannot_be_allocated()
    {
        Assert.Throws<OverflowException>(() => Eur(decimal.MaxValue).Allocate(3));
    }
}
