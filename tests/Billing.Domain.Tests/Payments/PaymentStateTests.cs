using Billing.Domain.Payments;

namespace Billing.Domain.Tests.Payments;

public sealed class PaymentStateTests
{
    private static Money Eur(decimal amount) => new(amount, Currency.EUR);

    private static PaymentState Captured(decimal amount) => PaymentState.Start(Eur(amount)).Succeed();

    [Fact]
    public void A_payment_starts_pending_with_nothing_refunded()
    {
        var payment = PaymentState.Start(Eur(49.90m));

        Assert.Equal(PaymentStatus.Pending, payment.Status);
        Assert.Equal(Eur(49.90m), payment.Amount);
        Assert.Equal(Eur(0m), payment.RefundedAmount);
        Assert.Equal(Eur(0m), payment.RefundableAmount);
        Assert.Null(payment.FailureCode);
        Assert.Equal("EUR 49.90 Pending", payment.ToString());
    }

    [Fact]
    public void A_payment_can_succeed_after_authentication()
    {
        var pending = PaymentState.Start(Eur(49.90m));
        var waiting = pending.RequireAction();
        var succeeded = waiting.Succeed();

        Assert.Equal(PaymentStatus.Pending, pending.Status);
        Assert.Equal(PaymentStatus.RequiresAction, waiting.Status);
        Assert.Equal(PaymentStatus.Succeeded, succeeded.Status);
        Assert.Equal(Eur(49.90m), succeeded.RefundableAmount);
    }

    [Fact]
    public void A_failure_keeps_the_providers_code()
    {
        var failed = PaymentState.Start(Eur(10m)).RequireAction().Fail("authentication_required");

        Assert.Equal(PaymentStatus.Failed, failed.Status);
        Assert.Equal("authentication_required", failed.FailureCode);
        Assert.Equal("EUR 10.00 Failed (authentication_required)", failed.ToString());
        Assert.Equal(Eur(0m), failed.RefundableAmount);
    }

    [Fact]
    public void Partial_refunds_add_up_to_a_full_refund()
    {
        var partly = Captured(100m).Refund(Eur(30m));
        var fully = partly.Refund(Eur(70m));

        Assert.Equal(PaymentStatus.PartiallyRefunded, partly.Status);
        Assert.Equal(Eur(30m), partly.RefundedAmount);
        Assert.Equal(Eur(70m), partly.RefundableAmount);
        Assert.Equal("EUR 100.00 PartiallyRefunded, EUR 30.00 refunded", partly.ToString());
        Assert.Equal(PaymentStatus.Refunded, fully.Status);
        Assert.Equal(Eur(100m), fully.RefundedAmount);
        Assert.Equal(Eur(0m), fully.RefundableAmount);
    }

    [Fact]
    public void A_full_refund_at_once_is_refunded()
    {
        Assert.Equal(PaymentStatus.Refunded, Captured(0.01m).Refund(Eur(0.01m)).Status);
    }

    [Fact]
    public void Refunding_more_than_was_captured_throws_and_says_what_is_left()
    {
        var partly = Captured(100m).Refund(Eur(60m));

        var error = Assert.Throws<InvariantViolationException>(() => partly.Refund(Eur(40.01m)));

        Assert.Equal("Cannot refund EUR 40.01 of a payment of EUR 100.00: EUR 60.00 is already refunded, EUR 40.00 is left.", error.Message);
    }

    [Fact]
    public void Refunding_in_another_currency_throws()
    {
        var error = Assert.Throws<InvariantViolationException>(() => Captured(100m).Refund(new Money(10m, Currency.USD)));

        Assert.Equal("Cannot refund USD 10.00 of a payment in EUR.", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(0.001)]
    public void A_refund_is_positive_and_in_whole_cents(decimal amount)
    {
        Assert.Throws<InvariantViolationException>(() => Captured(100m).Refund(Eur(amount)));
    }

    [Fact]
    public void Illegal_transitions_throw_and_name_the_allowed_states()
    {
        var succeeded = Captured(10m);
        var failed = PaymentState.Start(Eur(10m)).Fail("card_declined");
        var refunded = succeeded.Refund(Eur(10m));

        Assert.Equal(
            "Cannot succeed a payment that is Succeeded; only a payment that is Pending or RequiresAction can.",
            Assert.Throws<InvariantViolationException>(() => succeeded.Succeed()).Message);
        Assert.Equal(
            "Cannot refund a payment that is Failed; only a payment that is Succeeded or PartiallyRefunded can.",
            Assert.Throws<InvariantViolationException>(() => failed.Refund(Eur(1m))).Message);
        Assert.Throws<InvariantViolationException>(() => failed.Succeed());
        Assert.Throws<InvariantViolationException>(() => failed.Fail("card_declined"));
        Assert.Throws<InvariantViolationException>(() => succeeded.Fail("card_declined"));
        Assert.Throws<InvariantViolationException>(() => succeeded.RequireAction());
        Assert.Throws<InvariantViolationException>(() => PaymentState.Start(Eur(10m)).RequireAction().RequireAction());
        Assert.Throws<InvariantViolationException>(() => refunded.Refund(Eur(0.01m)));
        Assert.Throws<InvariantViolationException>(() => refunded.Succeed());
        Assert.Throws<InvariantViolationException>(() => PaymentState.Start(Eur(10m)).Refund(Eur(1m)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1.005)]
    public void A_payment_is_of_a_positive_amount_in_whole_cents(decimal amount)
    {
        Assert.Throws<InvariantViolationException>(() => PaymentState.Start(Eur(amount)));
    }

    [Fact]
    public void A_failure_code_is_required_and_bounded()
    {
        var pending = PaymentState.Start(Eur(10m));

        Assert.Throws<InvariantViolationException>(() => pending.Fail(string.Empty));
        Assert.Throws<InvariantViolationException>(() => pending.Fail(new string('x', PaymentState.MaxFailureCodeLength + 1)));
        Assert.Equal(64, pending.Fail(new string('x', PaymentState.MaxFailureCodeLength)).FailureCode!.Length);
    }

    [Fact]
    public void Transitions_leave_the_original_state_unchanged()
    {
        var succeeded = Captured(10m);

        _ = succeeded.Refund(Eur(4m));

        Assert.Equal(PaymentStatus.Succeeded, succeeded.Status);
        Assert.Equal(Eur(0m), succeeded.RefundedAmount);
    }
}
