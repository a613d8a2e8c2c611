using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NodaTime;

namespace Billing.Domain;

/// <summary>
/// Percentages of a grant's tokens whose consumption raises an alert (default 80 and 100), in
/// ascending order. A grant's allowance is what it made available: the new tokens plus the unused
/// ones carried over, so 100% means the balance is used up.
/// </summary>
public sealed class TokenThresholds
{
    public const int MaxThresholds = 10;
    public const string Field = "token_thresholds_percent";

    private const int HundredPercent = 100;

    private readonly int[] percents;
    private readonly string[] kinds;

    private TokenThresholds(int[] ascending)
    {
        percents = ascending;
        kinds = [.. ascending.Select(AlertKinds.Token)];
    }

    public static TokenThresholds Default { get; } = new([80, 100]);

    public IReadOnlyList<int> Percents => percents;

    public int Count => percents.Length;

    public static bool IsValidPercent(int percent) => percent is >= 1 and <= HundredPercent;

    /// <summary>1..<see cref="MaxThresholds"/> distinct percents from 1 to 100, in any order.</summary>
    public static bool TryCreate(IReadOnlyList<int>? percents, [NotNullWhen(true)] out TokenThresholds? thresholds, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        if (percents is null || percents.Count is 0 or > MaxThresholds)
        {
            found.Add(new FieldError(Field, $"{Field} must list 1 to {MaxThresholds} percents"));
        }
        else if (!percents.All(IsValidPercent))
        {
            found.Add(new FieldError(Field, $"{Field} must be whole percents from 1 to {HundredPercent}"));
        }
        else if (percents.Distinct().Count() != percents.Count)
        {
            found.Add(new FieldError(Field, $"{Field} must not repeat a percent"));
        }

        thresholds = found.Count == 0 ? new TokenThresholds([.. percents!.Order()]) : null;
        errors = found;
        return thresholds is not null;
    }

    /// <summary>
    /// The balance at or below which threshold <paramref name="index"/> is reached: consumed × 100 ≥
    /// allowance × percent, i.e. remaining ≤ allowance − ⌈allowance × percent / 100⌉.
    /// </summary>
    public long ReachedAtRemaining(long allowanceTokens, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(allowanceTokens);
        var needed = (((Int128)allowanceTokens * percents[index]) + HundredPercent - 1) / HundredPercent;
        return allowanceTokens - (long)needed;
    }

    public string KindOf(int index) => kinds[index];

    public Alert AlertFor(int index, string customerId, long grantSequence, long allowanceTokens, long remainingTokens, Instant raisedAt)
    {
        var consumed = allowanceTokens - remainingTokens;
        var percent = percents[index];
        return new Alert(
            kinds[index], customerId, AlertPeriods.GrantKey(grantSequence),
            string.Create(CultureInfo.InvariantCulture, $"{percent}% of {allowanceTokens} tokens"),
            string.Create(CultureInfo.InvariantCulture, $"{consumed} tokens"),
            string.Create(CultureInfo.InvariantCulture, $"Customer {customerId} has used {consumed} of {allowanceTokens} tokens of its grant {grantSequence}: {percent}% reached"),
            raisedAt);
    }
}
