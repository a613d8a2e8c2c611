using Billing.Domain;
using Billing.Silo.Alerts;
using Microsoft.Extensions.Configuration;

namespace Billing.Silo.Tests.Alerts;

/// <summary><c>Billing:Alerts</c> as configuration binds it: defaults, replacement of the lists, and every problem listed.</summary>
public sealed class AlertOptionsTests
{
    private static AlertOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new AlertOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(AlertOptions.SectionName).Bind(options);
        return options;
    }

    [Fact]
    public void DefaultsAreSeed004sCostRulesAndEightyAndHundredPercent()
    {
        var options = Bind([]);

        Assert.Empty(options.Validate());
        Assert.Same(CostThresholdSet.Default, options.CostRules);
        Assert.Equal([80, 100], options.TokenRules.Percents);
        Assert.Equal((true, 60_000), (options.Enabled, options.EvaluationIntervalMs));
    }

    [Fact]
    public void ConfiguredListsReplaceTheDefaults()
    {
        var options = Bind(new()
        {
            ["Billing:Alerts:CostThresholds:0:Kind"] = "weekly",
            ["Billing:Alerts:CostThresholds:0:Amount"] = "250",
            ["Billing:Alerts:TokenThresholdsPercent:0"] = "90",
        });

        Assert.Empty(options.Validate());
        Assert.Equal(new Money(250m, Currency.EUR), Assert.Single(options.CostRules.Rules).Amount);
        Assert.Equal([90], options.TokenRules.Percents);
    }

    [Fact]
    public void ListsEveryProblem()
    {
        var options = Bind(new()
        {
            ["Billing:Alerts:EvaluationIntervalMs"] = "10",
            ["Billing:Alerts:CostThresholds:0:Kind"] = "hourly",
            ["Billing:Alerts:CostThresholds:0:Amount"] = "5",
            ["Billing:Alerts:TokenThresholdsPercent:0"] = "120",
        });

        Assert.Equal(
            [
                "Billing:Alerts:EvaluationIntervalMs must be 1000..86400000.",
                "Billing:Alerts: cost_thresholds[0].kind must be daily, weekly or customer_daily.",
                "Billing:Alerts: token_thresholds_percent must be whole percents from 1 to 100.",
            ],
            options.Validate());
    }
}
