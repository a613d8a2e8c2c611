using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Billing.Domain.Tests.Periods;

public sealed class BillingPeriodPropertyTests
{
    private const int TestsPerProperty = 2000;

    private static readonly Gen<Case> Cases =
        from zoned in PeriodGenerators.ZonedInstants
        from cycle in PeriodGenerators.Cycles
        select new Case(zoned.ZoneId, zoned.Instant, cycle);

    [Fact]
    public void EveryInstantLiesInExactlyOnePeriodOfEachCycle() =>
        CheckThePeriodContaining(nameof(EveryInstantLiesInExactlyOnePeriodOfEachCycle), (input, period) =>
            period.Contains(input.Instant)
            && !period.Previous().Contains(input.Instant)
            && !period.Next().Contains(input.Instant)
            && period.Cycle == input.Cycle
            && period.Length > Duration.Zero);

    [Fact]
    public void ConsecutivePeriodsTileTimeWithoutGapOrOverlap() =>
        CheckThePeriodContaining(nameof(ConsecutivePeriodsTileTimeWithoutGapOrOverlap), (_, period) =>
            period.Next().StartInstant == period.EndInstant
            && period.Previous().EndInstant == period.StartInstant
            && period.Next().Previous() == period
            && period.Previous().Next() == period);

    [Fact]
    public void APeriodContainsItsFirstAndLastTick() =>
        CheckThePeriodContaining(nameof(APeriodContainsItsFirstAndLastTick), (input, period) =>
            BillingPeriod.Containing(period.StartInstant, input.Cycle, input.ZoneId) == period
            && BillingPeriod.Containing(period.EndInstant - Duration.Epsilon, input.Cycle, input.ZoneId) == period);

    [Fact]
    public void KeysParseBackToTheSamePeriod() =>
        CheckThePeriodContaining(nameof(KeysParseBackToTheSamePeriod), (input, period) =>
            BillingPeriod.Parse(period.Key, input.ZoneId) == period);

    /// <summary>
    /// Not random: every transition of every zone above, in every cycle, at the offsets where a
    /// boundary can go wrong. Catches rare cases such as St. John's 2009-11-01, where the clocks
    /// went back across the midnight that began November.
    /// </summary>
    [Fact]
    public void AroundEveryTransitionEachInstantHasExactlyOnePeriod()
    {
        Duration[] offsets =
        [
            -Duration.FromMinutes(90), -Duration.Epsilon, Duration.Zero, Duration.Epsilon,
            Duration.FromMinutes(30), Duration.FromMinutes(90),
        ];
        var failures =
            from transition in PeriodGenerators.Transitions
            from cycle in BillingCycles.All
            from offset in offsets
            let instant = transition.At + offset
            let period = BillingPeriod.Containing(instant, cycle, transition.ZoneId)
            where !period.Contains(instant) || period.Next().Contains(instant) || period.Previous().Contains(instant)
            select $"{transition.ZoneId} {instant} {cycle} -> {period}";

        Assert.Empty(failures.Take(10));
    }

    private static void CheckThePeriodContaining(string propertyName, Func<Case, BillingPeriod, bool> holds) =>
        FixedSeedCheck.Run(
            Prop.ForAll(Cases.ToArbitrary(), input => holds(input, BillingPeriod.Containing(input.Instant, input.Cycle, input.ZoneId))),
            propertyName,
            TestsPerProperty);

    internal sealed record Case(string ZoneId, Instant Instant, BillingCycle Cycle);
}
