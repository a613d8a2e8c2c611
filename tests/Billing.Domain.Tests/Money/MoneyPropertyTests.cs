using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Billing.Domain.Tests;

public class MoneyPropertyTests
{
    [Fact]
    public void Allocating_into_equal_parts_always_sums_to_the_original_within_one_minor_unit_of_each_other()
    {
        var cases = from money in MoneyGenerators.RoundedMoney
                    from parts in Gen.Choose(1, 40)
                    select (money, parts);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
            {
                var allocated = input.money.Allocate(input.parts);
                var amounts = allocated.Select(part => part.Amount).ToArray();
                return allocated.Count == input.parts
                    && Money.Sum(allocated, input.money.Currency) == input.money
                    && allocated.All(part => part.IsRounded)
                    && amounts.Max() - amounts.Min() <= input.money.Currency.MinorUnit;
            }),
            nameof(Allocating_into_equal_parts_always_sums_to_the_original_within_one_minor_unit_of_each_other));
    }

    [Fact]
    public void Allocating_by_ratios_always_sums_to_the_original_and_stays_within_one_minor_unit_of_the_ideal()
    {
        var cases = from money in MoneyGenerators.RoundedMoney
                    from ratios in MoneyGenerators.Ratios
                    from policy in MoneyGenerators.Policies
                    select (money, ratios, policy);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
            {
                var (money, ratios, policy) = input;
                var allocated = money.Allocate(ratios, policy);
                var totalRatio = ratios.Sum();
                return Money.Sum(allocated, money.Currency) == money
                    && allocated.All(part => part.IsRounded && part.Currency == money.Currency)
                    && allocated.Select((part, index) => Math.Abs(part.Amount - money.Amount * (ratios[index] / totalRatio)))
                        .All(distance => distance < money.Currency.MinorUnit)
                    && allocated.Where((_, index) => ratios[index] == 0m).All(part => part.IsZero);
            }),
            nameof(Allocating_by_ratios_always_sums_to_the_original_and_stays_within_one_minor_unit_of_the_ideal));
    }

    [Fact]
    public void Allocating_a_negated_amount_gives_the_negated_parts()
    {
        var cases = from money in MoneyGenerators.RoundedMoney
                    from ratios in MoneyGenerators.Ratios
                    from policy in MoneyGenerators.Policies
                    select (money, ratios, policy);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
            {
                var (money, ratios, policy) = input;
                var negatedParts = money.Negate().Allocate(ratios, policy);
                return negatedParts.SequenceEqual(money.Allocate(ratios, policy).Select(part => part.Negate()));
            }),
            nameof(Allocating_a_negated_amount_gives_the_negated_parts));
    }

    [Fact]
    public void Rounding_is_idempotent_and_always_yields_a_rounded_amount()
    {
        var cases = from amount in MoneyGenerators.PricingAmounts
                    from currency in MoneyGenerators.Currencies
                    from policy in MoneyGenerators.Policies
                    select (money: new Money(amount, currency), policy);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
            {
                var once = input.money.RoundTo(input.policy);
                return once.IsRounded
                    && once.RoundTo(input.policy) == once
                    && Math.Abs(once.Amount - input.money.Amount) <= input.money.Currency.MinorUnit / 2;
            }),
            nameof(Rounding_is_idempotent_and_always_yields_a_rounded_amount));
    }

    [Fact]
    public void Minor_units_round_trip_for_every_long_and_currency()
    {
        var cases = from minorUnits in MoneyGenerators.AnyLong
                    from currency in MoneyGenerators.Currencies
                    select (minorUnits, currency);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), input =>
                Money.FromMinorUnits(input.minorUnits, input.currency).ToMinorUnits() == input.minorUnits),
            nameof(Minor_units_round_trip_for_every_long_and_currency));
    }

    [Fact]
    public void ToString_shows_the_exact_amount()
    {
        var cases = from amount in MoneyGenerators.PricingAmounts
                    from currency in MoneyGenerators.Currencies
                    select new Money(amount, currency);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), money =>
            {
                var text = money.ToString();
                var parsed = decimal.Parse(text[(text.IndexOf(' ', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
                return text.StartsWith(money.Currency.Code + " ", StringComparison.Ordinal) && parsed == money.Amount;
            }),
            nameof(ToString_shows_the_exact_amount));
    }
}
