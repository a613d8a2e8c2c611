using FsCheck;
using FsCheck.Fluent;

namespace Billing.Domain.Tests;

public class TokenPropertyTests
{
    private static readonly Gen<TokenAmount> SmallTokenAmounts =
        Gen.Choose(0, 2_000_000).Select(value => new TokenAmount(value));

    [Fact]
    public void Subtraction_never_goes_negative_it_throws_instead()
    {
        var pairs = from available in SmallTokenAmounts
                    from requested in SmallTokenAmounts
                    select (available, requested);

        FixedSeedCheck.Run(
            Prop.ForAll(pairs.ToArbitrary(), input =>
            {
                try
                {
                    var left = input.available - input.requested;
                    return input.requested <= input.available
                        && left.Value == input.available.Value - input.requested.Value;
                }
                catch (InsufficientTokensException error)
                {
                    return input.requested > input.available
                        && error.Requested == input.requested
                        && error.Available == input.available;
                }
            }),
            nameof(Subtraction_never_goes_negative_it_throws_instead));
    }

    [Fact]
    public void Ledger_invariant_holds_for_any_sequence_of_grants_and_consumes()
    {
        var operations = Gen.ListOf(
            from isGrant in Gen.Elements(true, false)
            from tokens in SmallTokenAmounts
            select (isGrant, tokens));

        FixedSeedCheck.Run(
            Prop.ForAll(operations.ToArbitrary(), ops =>
            {
                // A plain model of the ledger: what was granted and what was successfully consumed.
                var ledger = TokenLedger.Empty;
                long modelGranted = 0, modelConsumed = 0;
                foreach (var (isGrant, tokens) in ops)
                {
                    var fits = tokens.Value <= modelGranted - modelConsumed;
                    if (!ApplyMatchesModel(ref ledger, isGrant, tokens, fits))
                    {
                        return false;
                    }

                    modelGranted += isGrant ? tokens.Value : 0;
                    modelConsumed += !isGrant && fits ? tokens.Value : 0;
                    if (ledger.Granted.Value != ledger.Remaining.Value + ledger.Consumed.Value
                        || ledger.Granted.Value != modelGranted
                        || ledger.Consumed.Value != modelConsumed)
                    {
                        return false;
                    }
                }

                return true;
            }),
            nameof(Ledger_invariant_holds_for_any_sequence_of_grants_and_consumes));
    }

    /// <summary>
    /// Applies one operation. A consume that does not fit the balance must throw
    /// <see cref="InsufficientTokensException"/> and leave the ledger exactly as it was.
    /// </summary>
    private static bool ApplyMatchesModel(ref TokenLedger ledger, bool isGrant, TokenAmount tokens, bool fits)
    {
        if (isGrant)
        {
            ledger = ledger.Grant(tokens);
            return true;
        }

        var before = ledger;
        try
        {
            ledger = ledger.Consume(tokens);
            return fits;
        }
        catch (InsufficientTokensException)
        {
            return !fits && ledger == before;
        }
    }
}
