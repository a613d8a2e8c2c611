using NodaTime;

namespace Billing.Domain.Tests;

public class CostThresholdTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 21, 12, 0);

    private static CostThreshold Rule(string kind, decimal amount, string currency = "EUR")
    {
        Assert.True(CostThreshold.TryCreate("rule", new CostThresholdDraft(kind, amount, currency), out var rule, out var errors), string.Join("; ", errors));
        return rule;
    }

    [Theory]
    [InlineData("daily", CostScope.Daily, "cost_daily")]
    [InlineData("Weekly", CostScope.Weekly, "cost_weekly")]
    [InlineData(" customer_daily ", CostScope.CustomerDaily, "cost_customer_daily")]
    public void ReadsTheKindsOfSeed004(string kind, CostScope scope, string alertKind)
    {
        var rule = Rule(kind, 100m);

        Assert.Equal((scope, alertKind, new Money(100m, Currency.EUR)), (rule.Scope, rule.Kind, rule.Amount));
    }

    [Fact]
    public void RejectsUnknownKindsAmountsAndCurrenciesFieldByField()
    {
        Assert.False(CostThreshold.TryCreate("cost_thresholds[2]", new CostThresholdDraft("monthly", -1m, "XYZ"), out var rule, out var errors));

        Assert.Null(rule);
        Assert.Equal(
            ["cost_thresholds[2].kind", "cost_thresholds[2].currency", "cost_thresholds[2].amount"],
            errors.Select(e => e.Field));
        Assert.Equal("cost_thresholds[2].kind must be daily, weekly or customer_daily", errors[0].Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_000_001)]
    public void RejectsAmountsOutOfRange(decimal amount)
    {
        Assert.False(CostThreshold.TryCreate("rule", new CostThresholdDraft("daily", amount, "EUR"), out _, out var errors));

        Assert.Equal("rule.amount must be greater than 0 and at most 1000000000", Assert.Single(errors).Message);
    }

    [Fact]
    public void RejectsAmountsBelowTheMinorUnit()
    {
        Assert.False(CostThreshold.TryCreate("rule", new CostThresholdDraft("daily", 100.005m, "EUR"), out _, out var errors));

        Assert.Equal("rule.amount must have at most 2 decimal places in EUR", Assert.Single(errors).Message);
    }

    [Fact]
    public void IsReachedAtTheAmountAndNeverByAnotherCurrency()
    {
        var rule = Rule("daily", 100m);

        Assert.False(rule.IsReachedBy(new Money(99.999999999m, Currency.EUR)));
        Assert.True(rule.IsReachedBy(new Money(100m, Currency.EUR)));
        Assert.False(rule.IsReachedBy(new Money(1_000m, Currency.USD)));
    }

    [Fact]
    public void AlertsNameSubjectPeriodAndAmounts()
    {
        var observed = new Money(120.5m, Currency.EUR);

        Assert.Equal(
            new Alert("cost_daily", "platform", "2026-11-21", "EUR 100.00", "EUR 120.50", "Platform cost on 2026-11-21 reached EUR 120.50 (threshold EUR 100.00)", Now),
            Rule("daily", 100m).AlertFor("platform", "2026-11-21", observed, Now));
        Assert.Equal(
            "Platform cost in week 2026-W47 reached EUR 120.50 (threshold EUR 500.00)",
            Rule("weekly", 500m).AlertFor("platform", "2026-W47", observed, Now).Message);
        Assert.Equal(
            "Cost of customer cus_1 on 2026-11-21 reached EUR 120.50 (threshold EUR 50.00)",
            Rule("customer_daily", 50m).AlertFor("cus_1", "2026-11-21", observed, Now).Message);
    }
}
