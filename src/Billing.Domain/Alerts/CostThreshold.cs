using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace Billing.Domain;

/// <summary>What a cost threshold adds up: the platform per local day or ISO week, or one customer per local day.</summary>
public enum CostScope
{
    Daily = 1,
    Weekly = 2,
    CustomerDaily = 3,
}

/// <summary>A rule as configuration states it; <see cref="CostThreshold.TryCreate"/> says what is wrong with it.</summary>
public sealed record CostThresholdDraft(string? Kind, decimal? Amount, string? Currency);

/// <summary>
/// Seed 004's cost alert: raised once when the cost in <see cref="Amount"/>'s currency reaches
/// the amount within one period. Costs in other currencies never count towards it.
/// </summary>
public sealed record CostThreshold
{
    public const decimal MaxAmount = 1_000_000_000m;

    public CostThreshold(CostScope scope, Money amount)
    {
        if (!Enum.IsDefined(scope) || amount.Amount is <= 0m or > MaxAmount || !amount.IsRounded)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), $"A {scope} cost threshold of {amount} is not 0 < amount <= {MaxAmount} in whole minor units.");
        }

        Scope = scope;
        Amount = amount;
    }

    public CostScope Scope { get; }

    public Money Amount { get; }

    /// <summary>The alert kind: cost_daily, cost_weekly or cost_customer_daily.</summary>
    public string Kind => Scope switch
    {
        CostScope.Daily => AlertKinds.CostDaily,
        CostScope.Weekly => AlertKinds.CostWeekly,
        _ => AlertKinds.CostCustomerDaily,
    };

    /// <summary>Reads a rule; errors name <paramref name="field"/>'s parts (<c>field.kind</c>, <c>field.amount</c>, <c>field.currency</c>).</summary>
    public static bool TryCreate(string field, CostThresholdDraft draft, [NotNullWhen(true)] out CostThreshold? threshold, out IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var found = new List<FieldError>();
        var scope = ParseScope(found, $"{field}.kind", draft.Kind);
        var currency = FieldRules.ParseCurrency(found, $"{field}.currency", draft.Currency, fallback: null);
        CheckAmount(found, $"{field}.amount", draft.Amount, currency);
        threshold = found.Count == 0 ? new CostThreshold(scope!.Value, new Money(draft.Amount!.Value, currency!.Value)) : null;
        errors = found;
        return threshold is not null;
    }

    public bool IsReachedBy(Money observed) => observed.Currency == Amount.Currency && observed >= Amount;

    /// <summary>The alert for <paramref name="subject"/> (a customer id, or the platform) in the period <paramref name="periodKey"/>.</summary>
    public Alert AlertFor(string subject, string periodKey, Money observed, Instant raisedAt)
    {
        var whose = Scope == CostScope.CustomerDaily ? $"Cost of customer {subject}" : "Platform cost";
        var when = Scope == CostScope.Weekly ? $"in week {periodKey}" : $"on {periodKey}";
        return new Alert(Kind, subject, periodKey, Amount.ToString(), observed.ToString(), $"{whose} {when} reached {observed} (threshold {Amount})", raisedAt);
    }

    private static CostScope? ParseScope(List<FieldError> errors, string field, string? kind)
    {
        CostScope? scope = kind?.Trim().ToLowerInvariant() switch
        {
            "daily" => CostScope.Daily,
            "weekly" => CostScope.Weekly,
            "customer_daily" => CostScope.CustomerDaily,
            _ => null,
        };
        if (scope is null)
        {
            errors.Add(new FieldError(field, $"{field} must be daily, weekly or customer_daily"));
        }

        return scope;
    }

    private static void CheckAmount(List<FieldError> errors, string field, decimal? amount, Currency? currency)
    {
        if (amount is null or <= 0m or > MaxAmount)
        {
            errors.Add(new FieldError(field, $"{field} must be greater than 0 and at most {MaxAmount}"));
        }
        else if (currency is { } known && decimal.Round(amount.Value, known.MinorUnitDigits) != amount.Value)
        {
            errors.Add(new FieldError(field, $"{field} must have at most {known.MinorUnitDigits} decimal places in {known}"));
        }
    }
}
