namespace Billing.Domain.Tests;

public class CostThresholdSetTests
{
    [Fact]
    public void DefaultIsSeed004sHundredADayFiveHundredAWeekAndFiftyACustomerADay()
    {
        var rules = CostThresholdSet.Default;

        Assert.Equal(new Money(100m, Currency.EUR), rules.For(CostScope.Daily, "EUR")!.Amount);
        Assert.Equal(new Money(500m, Currency.EUR), rules.For(CostScope.Weekly, "EUR")!.Amount);
        Assert.Equal(new Money(50m, Currency.EUR), rules.For(CostScope.CustomerDaily, "EUR")!.Amount);
        Assert.Null(rules.For(CostScope.Daily, "USD"));
        Assert.Equal(["EUR"], rules.CurrencyCodes);
    }

    [Fact]
    public void CustomerRulesMayCountInSeveralCurrencies()
    {
        Assert.True(CostThresholdSet.TryCreate(
            [new("daily", 5m, "EUR"), new("customer_daily", 3m, "EUR"), new("customer_daily", 2m, "USD")], out var rules, out var errors));

        Assert.Empty(errors);
        Assert.Equal(new Money(2m, Currency.USD), rules.For(CostScope.CustomerDaily, "USD")!.Amount);
        Assert.Equal(["EUR", "USD"], rules.CurrencyCodes);
    }

    [Fact]
    public void RejectsTwoRulesOfOneKindInOneCurrency()
    {
        Assert.False(CostThresholdSet.TryCreate([new("daily", 5m, "EUR"), new("daily", 8m, "eur")], out _, out var errors));

        Assert.Equal("cost_thresholds holds more than one cost_daily rule in EUR", Assert.Single(errors).Message);
    }

    [Fact]
    public void RejectsAPlatformKindInTwoCurrenciesBecauseTheyWouldShareOneAlert()
    {
        Assert.False(CostThresholdSet.TryCreate([new("weekly", 5m, "EUR"), new("weekly", 5m, "USD")], out _, out var errors));

        Assert.Equal("cost_thresholds holds cost_weekly rules in more than one currency; platform-wide rules take one currency", Assert.Single(errors).Message);
    }

    [Fact]
    public void ReportsEveryInvalidRuleAndBoundsTheirNumber()
    {
        Assert.False(CostThresholdSet.TryCreate([new("daily", 0m, "EUR"), new("hourly", 1m, "EUR")], out _, out var errors));
        Assert.Equal(["cost_thresholds[0].amount", "cost_thresholds[1].kind"], errors.Select(e => e.Field));

        var tooMany = Enumerable.Range(0, CostThresholdSet.MaxRules + 1).Select(_ => new CostThresholdDraft("daily", 1m, "EUR")).ToList();
        Assert.False(CostThresholdSet.TryCreate(tooMany, out _, out errors));
        Assert.Equal("cost_thresholds must list at most 32 rules", Assert.Single(errors).Message);
    }
}
