using Billing.Domain;

namespace Billing.Silo.Alerts;

/// <summary>
/// Cost and token alerts (section <c>Billing:Alerts</c>). The lists are null until configured, so
/// configuration replaces the defaults instead of adding to them (the binder appends to a list
/// that already holds items).
/// </summary>
public sealed class AlertOptions
{
    public const string SectionName = "Billing:Alerts";
    public const int MinEvaluationIntervalMs = 1_000;
    public const int MaxEvaluationIntervalMs = 24 * 60 * 60 * 1_000;

    /// <summary>Off: no alert is raised (the list endpoint still answers).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Rules {kind: daily | weekly | customer_daily, amount, currency}; unset: seed 004's €100/day, €500/week, €50/customer/day.</summary>
    public List<CostThresholdOptions>? CostThresholds { get; set; }

    /// <summary>Percents of a grant's tokens; unset: 80 and 100.</summary>
    public List<int>? TokenThresholdsPercent { get; set; }

    /// <summary>How often the cost monitor adds up usage costs.</summary>
    public int EvaluationIntervalMs { get; set; } = 60_000;

    public TimeSpan EvaluationInterval => TimeSpan.FromMilliseconds(EvaluationIntervalMs);

    /// <summary>The parsed cost rules; valid once the options have been validated.</summary>
    public CostThresholdSet CostRules =>
        TryCostRules(out var rules, out var errors) ? rules : throw new InvalidOperationException(string.Join("; ", errors));

    /// <summary>The parsed token thresholds; valid once the options have been validated.</summary>
    public TokenThresholds TokenRules =>
        TryTokenRules(out var rules, out var errors) ? rules : throw new InvalidOperationException(string.Join("; ", errors));

    public IEnumerable<string> Validate()
    {
        if (EvaluationIntervalMs is < MinEvaluationIntervalMs or > MaxEvaluationIntervalMs)
        {
            yield return $"{SectionName}:EvaluationIntervalMs must be {MinEvaluationIntervalMs}..{MaxEvaluationIntervalMs}.";
        }

        var costErrors = TryCostRules(out _, out var costs) ? [] : costs;
        var tokenErrors = TryTokenRules(out _, out var tokens) ? [] : tokens;
        foreach (var error in costErrors.Concat(tokenErrors))
        {
            yield return $"{SectionName}: {error.Message}.";
        }
    }

    private bool TryCostRules(out CostThresholdSet rules, out IReadOnlyList<FieldError> errors)
    {
        if (CostThresholds is null)
        {
            (rules, errors) = (CostThresholdSet.Default, []);
            return true;
        }

        var drafts = CostThresholds.Select(c => new CostThresholdDraft(c.Kind, c.Amount, c.Currency)).ToList();
        var valid = CostThresholdSet.TryCreate(drafts, out var set, out errors);
        rules = set ?? CostThresholdSet.Default;
        return valid;
    }

    private bool TryTokenRules(out TokenThresholds rules, out IReadOnlyList<FieldError> errors)
    {
        var valid = TokenThresholds.TryCreate(TokenThresholdsPercent ?? [.. TokenThresholds.Default.Percents], out var thresholds, out errors);
        rules = thresholds ?? TokenThresholds.Default;
        return valid;
    }
}

/// <summary>One cost rule as configured, e.g. <c>Billing:Alerts:CostThresholds:0:Kind=daily</c>, <c>…:Amount=100</c>, <c>…:Currency=EUR</c>.</summary>
public sealed class CostThresholdOptions
{
    public string? Kind { get; set; }

    public decimal? Amount { get; set; }

    public string? Currency { get; set; } = "EUR";
}
