using Billing.Domain;
using NodaTime;

namespace Billing.Domain.Tests.Metering;

public sealed class SubscriptionTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 1, 12, 0);
    private static readonly PlanGrant Basic = new("plan_basic", new TokenAmount(1_000), Duration.FromDays(30), new Money(15m, Currency.EUR));

    [Fact]
    public void NewCustomerHasNoActiveSubscription()
    {
        var none = Subscription.None("cus_1");

        Assert.False(none.IsActiveAt(Now));
        Assert.Equal(ConsumeDecision.NoActiveSubscription, none.Decide(new TokenAmount(1), Now));
    }

    [Fact]
    public void GrantStartsNowAndEndsAfterThePlansDuration()
    {
        var granted = Subscription.None("cus_1").Grant(Basic, Now);

        Assert.Equal(new TokenLedger(new TokenAmount(1_000), new TokenAmount(1_000), TokenAmount.Zero), granted.Ledger);
        Assert.Equal(Now, granted.StartedAt);
        Assert.Equal(Now + Duration.FromDays(30), granted.EndsAt);
        Assert.Equal(1, granted.Sequence);
        Assert.Equal(new Money(0.015m, Currency.EUR), granted.PricePerToken);
    }

    [Fact]
    public void ConsumeDeductsAndKeepsGrantedEqualToRemainingPlusConsumed()
    {
        var after = Subscription.None("cus_1").Grant(Basic, Now).Consume(new TokenAmount(250), Now);

        Assert.Equal(new TokenAmount(750), after.Ledger.Remaining);
        Assert.Equal(new TokenAmount(250), after.Ledger.Consumed);
        Assert.Equal(new TokenAmount(1_000), after.Ledger.Granted);
        Assert.Equal(2, after.Sequence);
        Assert.Equal(new Money(3.75m, Currency.EUR), after.CostOf(new TokenAmount(250), Currency.EUR));
    }

    [Fact]
    public void RejectsConsumeWhenBalanceInsufficientAndChangesNothing()
    {
        var granted = Subscription.None("cus_1").Grant(Basic, Now).Consume(new TokenAmount(990), Now);

        Assert.Equal(ConsumeDecision.InsufficientTokens, granted.Decide(new TokenAmount(11), Now));
        Assert.Throws<InvalidOperationException>(() => granted.Consume(new TokenAmount(11), Now));
        Assert.Equal(new TokenAmount(10), granted.Ledger.Remaining);
    }

    [Fact]
    public void SubscriptionWithNoTokensLeftIsNotActive()
    {
        var spent = Subscription.None("cus_1").Grant(Basic, Now).Consume(new TokenAmount(1_000), Now);

        Assert.False(spent.IsActiveAt(Now));
        Assert.Equal(ConsumeDecision.NoActiveSubscription, spent.Decide(new TokenAmount(1), Now));
    }

    [Fact]
    public void SubscriptionPastItsEndDateIsNotActive()
    {
        var granted = Subscription.None("cus_1").Grant(Basic, Now);

        Assert.True(granted.IsActiveAt(Now + Duration.FromDays(30)));
        Assert.False(granted.IsActiveAt(Now + Duration.FromDays(30) + Duration.FromMilliseconds(1)));
    }

    [Fact]
    public void RenewingARunningSubscriptionAddsTokensAndExtendsFromItsEnd()
    {
        var renewed = Subscription.None("cus_1").Grant(Basic, Now).Consume(new TokenAmount(400), Now).Grant(Basic, Now + Duration.FromDays(10));

        Assert.Equal(new TokenLedger(new TokenAmount(2_000), new TokenAmount(1_600), new TokenAmount(400)), renewed.Ledger);
        Assert.Equal(Now, renewed.StartedAt);
        Assert.Equal(Now + Duration.FromDays(60), renewed.EndsAt);
    }

    [Fact]
    public void RenewingAnEndedSubscriptionRestartsItNowAndCarriesUnusedTokens()
    {
        var later = Now + Duration.FromDays(45);
        var renewed = Subscription.None("cus_1").Grant(Basic, Now).Consume(new TokenAmount(100), Now).Grant(Basic, later);

        Assert.Equal(later, renewed.StartedAt);
        Assert.Equal(later + Duration.FromDays(30), renewed.EndsAt);
        Assert.Equal(new TokenAmount(1_900), renewed.Ledger.Remaining);
    }

    [Fact]
    public void PlanWithoutDurationNeverEnds()
    {
        var forever = Subscription.None("cus_1").Grant(Basic with { Validity = null }, Now);

        Assert.Null(forever.EndsAt);
        Assert.True(forever.IsActiveAt(Now + Duration.FromDays(3_650)));
    }

    [Fact]
    public void ARenewalContinuesFromThePeriodsEndEvenWhenPaidLateAndCarriesUnusedTokens()
    {
        var granted = Subscription.None("cus_1").Grant(Basic, Now).Consume(new TokenAmount(400), Now);
        var end = Now + Duration.FromDays(30);

        var renewed = granted.Renew(Basic, end, end + Duration.FromDays(3));

        Assert.Equal((Now, end + Duration.FromDays(30)), (renewed.StartedAt, renewed.EndsAt));
        Assert.Equal(new TokenLedger(new TokenAmount(2_000), new TokenAmount(1_600), new TokenAmount(400)), renewed.Ledger);
        Assert.Equal(3, renewed.Sequence);
    }

    [Fact]
    public void ARenewalOfAPeriodTheSubscriptionNoLongerEndsIsAnOrdinaryGrant()
    {
        var granted = Subscription.None("cus_1").Grant(Basic, Now).Grant(Basic, Now);
        var staleEnd = Now + Duration.FromDays(30);

        var renewed = granted.Renew(Basic, staleEnd, Now);

        Assert.Equal(Now + Duration.FromDays(90), renewed.EndsAt);
    }

    [Fact]
    public void APlanWithoutADurationCannotBeRenewed()
    {
        var open = Basic with { Validity = null };
        var granted = Subscription.None("cus_1").Grant(open, Now);

        Assert.Throws<InvariantViolationException>(() => granted.Renew(open, Now, Now));
    }
}
