using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Billing.Domain.Tests;

public class TokenAlertWatchTests
{
    private const long GrantSequence = 7;
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 21, 12, 0);

    private static TokenAlertWatch Watch(long allowance) => TokenAlertWatch.Start(TokenThresholds.Default, GrantSequence, allowance);

    [Fact]
    public void DefaultWatchIsNeverDue()
    {
        Assert.False(default(TokenAlertWatch).IsDue(long.MaxValue, 0));
        Assert.Equal(0, default(TokenAlertWatch).ReachedCount(0));
    }

    [Fact]
    public void BecomesDueExactlyWhenEightyPercentAreConsumed()
    {
        var watch = Watch(1_000);

        Assert.False(watch.IsDue(GrantSequence + 1, 201));
        Assert.True(watch.IsDue(GrantSequence + 1, 200));
        Assert.Equal(1, watch.ReachedCount(200));
    }

    [Fact]
    public void UsageDecidedBeforeTheGrantIsNeverDue()
    {
        Assert.False(Watch(1_000).IsDue(GrantSequence, 0));
        Assert.False(Watch(1_000).IsDue(GrantSequence - 1, 0));
    }

    [Fact]
    public void ConsumingEverythingAtOnceReachesBothThresholds()
    {
        Assert.Equal(2, Watch(1_000).ReachedCount(0));
    }

    [Fact]
    public void HandingOnRearmsTheWatchForTheNextThresholdOnly()
    {
        var watch = Watch(1_000).HandedOnUpTo(1);

        Assert.Equal(1, watch.HandedOn);
        Assert.False(watch.IsDue(GrantSequence + 1, 150));
        Assert.True(watch.IsDue(GrantSequence + 1, 0));
        Assert.Equal(1, watch.HandedOnUpTo(0).HandedOn);
        Assert.False(watch.HandedOnUpTo(2).IsDue(GrantSequence + 1, 0));
    }

    [Fact]
    public void AGrantWithoutTokensNeverAlerts()
    {
        Assert.False(Watch(0).IsDue(GrantSequence + 1, 0));
        Assert.Equal(0, Watch(0).ReachedCount(0));
    }

    [Fact]
    public void AlertNamesTheGrantAndWhatWasUsed()
    {
        var alert = Watch(1_000).AlertFor(0, "cus_1", remainingTokens: 150, Now);

        Assert.Equal(new Alert("token_80", "cus_1", "grant-7", "80% of 1000 tokens", "850 tokens", "Customer cus_1 has used 850 of 1000 tokens of its grant 7: 80% reached", Now), alert);
    }

    [Fact]
    public void ReachedThresholdsAreThoseWhosePercentOfTheAllowanceIsConsumed()
    {
        var cases = from allowance in Gen.Choose(1, 2_000_000)
                    from used in Gen.Choose(0, allowance)
                    from count in Gen.Choose(1, TokenThresholds.MaxThresholds)
                    from drawn in Gen.ArrayOf(Gen.Choose(1, 100), count)
                    let percents = drawn.Distinct().ToList()
                    select (allowance: (long)allowance, used: (long)used, percents);

        FixedSeedCheck.Run(
            Prop.ForAll(cases.ToArbitrary(), c =>
            {
                Assert.True(TokenThresholds.TryCreate([.. c.percents], out var thresholds, out _));
                var watch = TokenAlertWatch.Start(thresholds, GrantSequence, c.allowance);
                var expected = c.percents.Count(p => c.used * 100 >= c.allowance * p);
                var remaining = c.allowance - c.used;
                return watch.ReachedCount(remaining) == expected && watch.IsDue(GrantSequence + 1, remaining) == (expected > 0);
            }),
            nameof(ReachedThresholdsAreThoseWhosePercentOfTheAllowanceIsConsumed));
    }
}
