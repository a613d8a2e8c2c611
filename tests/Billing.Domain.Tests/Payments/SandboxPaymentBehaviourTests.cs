using Billing.Domain.Payments;

namespace Billing.Domain.Tests.Payments;

public sealed class SandboxPaymentBehaviourTests
{
    [Theory]
    [InlineData("4242424242424242", SandboxPaymentStatus.Succeeded, null, null)]
    [InlineData("4000000000000002", SandboxPaymentStatus.Declined, "card_declined", "generic_decline")]
    [InlineData("4000000000009995", SandboxPaymentStatus.Declined, "card_declined", "insufficient_funds")]
    [InlineData("4000002500003155", SandboxPaymentStatus.RequiresAction, "authentication_required", null)]
    [InlineData("4000000000000341", SandboxPaymentStatus.Declined, "card_declined", "generic_decline")]
    [InlineData("5555555555554444", SandboxPaymentStatus.Declined, "card_declined", "test_mode_live_card")]
    [InlineData("4111 1111 1111 1111", SandboxPaymentStatus.Declined, "card_declined", "test_mode_live_card")]
    public void Charging_a_test_card_gives_Stripes_answer(string number, SandboxPaymentStatus status, string? code, string? declineCode)
    {
        var outcome = SandboxPaymentBehaviour.OnCharge(number);

        Assert.Equal(status, outcome.Status);
        Assert.Equal(code, outcome.Code);
        Assert.Equal(declineCode, outcome.DeclineCode);
    }

    [Theory]
    [InlineData("4242 4242 4242 4242", SandboxPaymentStatus.Succeeded, null)]
    [InlineData("4000000000000002", SandboxPaymentStatus.Declined, "generic_decline")]
    [InlineData("4000000000009995", SandboxPaymentStatus.Declined, "insufficient_funds")]
    [InlineData("4000002500003155", SandboxPaymentStatus.Succeeded, null)]
    [InlineData("4000000000000341", SandboxPaymentStatus.Succeeded, null)]
    [InlineData("378282246310005", SandboxPaymentStatus.Declined, "test_mode_live_card")]
    public void Attaching_a_test_card_gives_Stripes_answer(string number, SandboxPaymentStatus status, string? declineCode)
    {
        var outcome = SandboxPaymentBehaviour.OnAttach(number);

        Assert.Equal(status, outcome.Status);
        Assert.Equal(declineCode, outcome.DeclineCode);
    }

    [Fact]
    public void The_card_that_attaches_but_fails_when_charged_does_both()
    {
        Assert.Equal(SandboxCardOutcome.Succeeded, SandboxPaymentBehaviour.OnAttach("4000000000000341"));
        Assert.Equal("Declined: card_declined (generic_decline)", SandboxPaymentBehaviour.OnCharge("4000000000000341").ToString());
    }

    [Theory]
    [InlineData("4242424242424241")]
    [InlineData("4242")]
    public void A_number_that_is_no_card_number_is_the_callers_error(string number)
    {
        Assert.Throws<FormatException>(() => SandboxPaymentBehaviour.OnCharge(number));
        Assert.Throws<FormatException>(() => SandboxPaymentBehaviour.OnAttach(number));
    }

    [Theory]
    [InlineData("AT611904300234573201", SandboxPaymentStatus.Succeeded, null)]
    [InlineData("DE89 3704 0044 0532 0130 00", SandboxPaymentStatus.Succeeded, null)]
    [InlineData("AT861904300235473202", SandboxPaymentStatus.Declined, "insufficient_funds")]
    [InlineData("NL91ABNA0417164300", SandboxPaymentStatus.Declined, "bank_account_unusable")]
    public void Debiting_a_test_IBAN_gives_Stripes_answer(string iban, SandboxPaymentStatus status, string? code)
    {
        var outcome = SandboxPaymentBehaviour.OnSepaDebit(Iban.Parse(iban));

        Assert.Equal(status, outcome.Status);
        Assert.Equal(code, outcome.Code);
        Assert.Null(outcome.DeclineCode);
    }

    [Fact]
    public void Outcomes_print_their_status_and_codes()
    {
        Assert.Equal("succeeded", SandboxCardOutcome.Succeeded.ToString());
        Assert.Equal("RequiresAction: authentication_required", SandboxCardOutcome.RequiresAuthentication.ToString());
        Assert.Equal("Declined: insufficient_funds", SandboxCardOutcome.DebitFailedWith("insufficient_funds").ToString());
    }
}
