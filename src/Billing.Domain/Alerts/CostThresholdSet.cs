using System.Diagnostics.CodeAnalysis;

namespace Billing.Domain;

/// <summary>
/// The configured cost rules (seed 004's €100/day, €500/week and €50/customer/day by default),
/// looked up by scope and currency. One rule per kind and currency; a platform-wide kind (daily,
/// weekly) in one currency only, because its alerts share the subject "platform" and the
/// storage key would let the first currency's alert swallow the other's.
/// </summary>
public sealed class CostThresholdSet
{
    public const int MaxRules = 32;
    public const string Field = "cost_thresholds";

    private readonly Dictionary<(CostScope, string), CostThreshold> byScopeAndCurrency;

    private CostThresholdSet(IReadOnlyList<CostThreshold> rules)
    {
        Rules = rules;
        byScopeAndCurrency = rules.ToDictionary(r => (r.Scope, r.Amount.Currency.Code));
        CurrencyCodes = [.. rules.Select(r => r.Amount.Currency.Code).Distinct().Order(StringComparer.Ordinal)];
    }

    public static CostThresholdSet Default { get; } = new(
    [
        new CostThreshold(CostScope.Daily, new Money(100m, Currency.EUR)),
        new CostThreshold(CostScope.Weekly, new Money(500m, Currency.EUR)),
        new CostThreshold(CostScope.CustomerDaily, new Money(50m, Currency.EUR)),
    ]);

    public IReadOnlyList<CostThreshold> Rules { get; }

    /// <summary>The currencies some rule counts in: costs in any other currency need not be read.</summary>
    public IReadOnlyList<string> CurrencyCodes { get; }

    /// <summary>The rule of <paramref name="scope"/> for costs in <paramref name="currencyCode"/>, if there is one.</summary>
    public CostThreshold? For(CostScope scope, string currencyCode) => byScopeAndCurrency.GetValueOrDefault((scope, currencyCode));

    public static bool TryCreate(IReadOnlyList<CostThresholdDraft> drafts, [NotNullWhen(true)] out CostThresholdSet? set, out IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        var found = new List<FieldError>();
        if (drafts.Count > MaxRules)
        {
            found.Add(new FieldError(Field, $"{Field} must list at most {MaxRules} rules"));
            drafts = [];
        }

        var rules = new List<CostThreshold>();
        for (var i = 0; i < drafts.Count; i++)
        {
            if (CostThreshold.TryCreate($"{Field}[{i}]", drafts[i], out var rule, out var ruleErrors))
            {
                rules.Add(rule);
            }

            found.AddRange(ruleErrors);
        }

        CheckOverlaps(found, rules);
        set = found.Count == 0 ? new CostThresholdSet(rules) : null;
        errors = found;
        return set is not null;
    }

    private static void CheckOverlaps(List<FieldError> errors, List<CostThreshold> rules)
    {
        foreach (var twice in rules.GroupBy(r => (r.Scope, r.Amount.Currency)).Where(g => g.Count() > 1))
        {
            errors.Add(new FieldError(Field, $"{Field} holds more than one {twice.First().Kind} rule in {twice.Key.Currency}"));
        }

        foreach (var platform in rules.Where(r => r.Scope != CostScope.CustomerDaily).GroupBy(r => r.Scope).Where(g => g.Select(r => r.Amount.Currency).Distinct().Count() > 1))
        {
            errors.Add(new FieldError(Field, $"{Field} holds {platform.First().Kind} rules in more than one currency; platform-wide rules take one currency"));
        }
    }
}
