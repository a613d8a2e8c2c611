using System.Globalization;
using Billing.Contracts.Metering;

namespace Billing.Cli.LoadTest;

/// <summary>One customer after the run: what the load test saw accepted, and what the silo says the balance is.</summary>
/// <param name="Balance">Null when the subscription could not be read; <paramref name="Problem"/> says why.</param>
internal sealed record CustomerReading(
    string CustomerId, long AcceptedTokens, long UnansweredTokens, SubscriptionResponse? Balance, string? Problem = null);

internal sealed record CustomerMismatch(string CustomerId, string Reason);

/// <summary>
/// Token conservation: for every customer, granted = remaining + accepted, and consumed = accepted. Requests that got
/// no answer may or may not have been charged, so the silo may have charged up to their tokens more, but no less, and
/// its consumed count must still match what it charged.
/// </summary>
internal sealed record ConservationReport(
    bool Ok,
    int CustomersChecked,
    int CustomersMismatched,
    long TokensGranted,
    long TokensRemaining,
    long TokensConsumed,
    long TokensAccepted,
    long TokensUnanswered,
    IReadOnlyList<CustomerMismatch> Mismatches)
{
    /// <summary>How many mismatching customers a report names; the count covers them all.</summary>
    public const int MaxListed = 10;

    public static ConservationReport Evaluate(IReadOnlyList<CustomerReading> readings)
    {
        var mismatches = new List<CustomerMismatch>();
        var mismatched = 0;
        long granted = 0, remaining = 0, consumed = 0, accepted = 0, unanswered = 0;
        foreach (var reading in readings)
        {
            accepted += reading.AcceptedTokens;
            unanswered += reading.UnansweredTokens;
            granted += reading.Balance?.TokensGranted ?? 0;
            remaining += reading.Balance?.TokensRemaining ?? 0;
            consumed += reading.Balance?.TokensConsumed ?? 0;
            if (Mismatch(reading) is { } reason && ++mismatched <= MaxListed)
            {
                mismatches.Add(new CustomerMismatch(reading.CustomerId, reason));
            }
        }

        return new ConservationReport(mismatched == 0, readings.Count, mismatched, granted, remaining, consumed, accepted, unanswered, mismatches);
    }

    /// <summary>"granted G = remaining R + accepted A", the line's figures in their canonical order.</summary>
    public string Equation()
    {
        var equation = Format($"granted {TokensGranted} = remaining {TokensRemaining} + accepted {TokensAccepted}");
        var chargedUnanswered = TokensGranted - TokensRemaining - TokensAccepted;
        return TokensUnanswered == 0 ? equation : equation + Format($" + {chargedUnanswered} of {TokensUnanswered} unanswered");
    }

    /// <summary>The summed figures without claiming they add up, for a failed check.</summary>
    public string Figures() =>
        Format($"granted {TokensGranted}, remaining {TokensRemaining}, consumed {TokensConsumed}, accepted {TokensAccepted}, unanswered {TokensUnanswered}");

    private static string? Mismatch(CustomerReading reading)
    {
        if (reading.Balance is not { } balance)
        {
            return reading.Problem ?? "subscription not read";
        }

        var charged = balance.TokensGranted - balance.TokensRemaining;
        var accepted = reading.AcceptedTokens;
        var mostCharged = accepted + reading.UnansweredTokens;
        if (charged < accepted || charged > mostCharged)
        {
            return reading.UnansweredTokens == 0
                ? Format($"granted {balance.TokensGranted} != remaining {balance.TokensRemaining} + accepted {accepted}")
                : Format($"granted {balance.TokensGranted} - remaining {balance.TokensRemaining} is outside {accepted}..{mostCharged} (accepted, plus unanswered)");
        }

        if (balance.TokensConsumed == charged)
        {
            return null;
        }

        return reading.UnansweredTokens == 0
            ? Format($"consumed {balance.TokensConsumed} != accepted {accepted}")
            : Format($"consumed {balance.TokensConsumed} != granted - remaining {charged}");
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
