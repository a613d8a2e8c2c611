namespace Billing.Domain.Tests;

public class TokenLedgerTests
{
    private static TokenAmount Tokens(long value) => new(value);

    [Fact]
    public void Empty_ledger_has_nothing_granted_remaining_or_consumed()
    {
        Assert.Equal(new TokenLedger(TokenAmount.Zero, TokenAmount.Zero, TokenAmount.Zero), TokenLedger.Empty);
        Assert.Equal(TokenLedger.Empty, default);
    }

    [Fact]
    public void Granting_adds_to_granted_and_remaining()
    {
        var ledger = TokenLedger.Empty.Grant(Tokens(100)).Grant(Tokens(50));

        Assert.Equal(new TokenLedger(Tokens(150), Tokens(150), TokenAmount.Zero), ledger);
    }

    [Fact]
    public void Consuming_moves_tokens_from_remaining_to_consumed()
    {
        var ledger = TokenLedger.Empty.Grant(Tokens(100)).Consume(Tokens(30));

        Assert.Equal(Tokens(100), ledger.Granted);
        Assert.Equal(Tokens(70), ledger.Remaining);
        Assert.Equal(Tokens(30), ledger.Consumed);
    }

    [Fact]
    public void Consuming_everything_leaves_zero_remaining()
    {
        var ledger = TokenLedger.Empty.Grant(Tokens(100)).Consume(Tokens(100));

        Assert.Equal(TokenAmount.Zero, ledger.Remaining);
        Assert.Equal(Tokens(100), ledger.Consumed);
    }

    [Fact]
    public void Consuming_more_than_remaining_throws_and_leaves_the_ledger_unchanged()
    {
        var ledger = TokenLedger.Empty.Grant(Tokens(100)).Consume(Tokens(30));
        var before = ledger;

        var error = Assert.Throws<InsufficientTokensException>(() => ledger.Consume(Tokens(80)));

        Assert.Equal(Tokens(80), error.Requested);
        Assert.Equal(Tokens(70), error.Available);
        Assert.Equal(before, ledger);
        Assert.Equal(new TokenLedger(Tokens(100), Tokens(70), Tokens(30)), ledger);
    }

    [Fact]
    public void Constructing_a_ledger_that_does_not_add_up_throws_invariant_violation()
    {
        var error = Assert.Throws<InvariantViolationException>(() => new TokenLedger(Tokens(100), Tokens(50), Tokens(40)));

        Assert.Contains("granted 100, remaining 50, consumed 40", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructing_a_ledger_whose_parts_overflow_reports_the_invariant_not_an_overflow()
    {
        Assert.Throws<InvariantViolationException>(
            () => new TokenLedger(Tokens(long.MaxValue), Tokens(long.MaxValue), Tokens(long.MaxValue)));
    }

    [Fact]
    public void Granting_past_the_long_range_throws_overflow_and_changes_nothing()
    {
        var ledger = TokenLedger.Empty.Grant(Tokens(long.MaxValue));

        Assert.Throws<OverflowException>(() => ledger.Grant(Tokens(1)));
        Assert.Equal(Tokens(long.MaxValue), ledger.Remaining);
    }
}
