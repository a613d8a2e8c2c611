using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Silo.Tests.Alerts;

/// <summary>Silos with small alert thresholds, customers on a plan of a chosen price, and reading the alerts back.</summary>
internal static class AlertScenario
{
    public const int RaisedEventId = 5001;

    /// <summary>
    /// Costs: €5/day, €12/week and €3/customer/day, and $2/customer/day; days in Amsterdam.
    /// The monitor's own interval is a day, so only the test's evaluations count.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SmallThresholds = new Dictionary<string, string>
    {
        ["Billing:Invoicing:IssuerTimeZone"] = "Europe/Amsterdam",
        ["Billing:Alerts:EvaluationIntervalMs"] = "86400000",
        ["Billing:Alerts:CostThresholds:0:Kind"] = "daily",
        ["Billing:Alerts:CostThresholds:0:Amount"] = "5",
        ["Billing:Alerts:CostThresholds:1:Kind"] = "weekly",
        ["Billing:Alerts:CostThresholds:1:Amount"] = "12",
        ["Billing:Alerts:CostThresholds:2:Kind"] = "customer_daily",
        ["Billing:Alerts:CostThresholds:2:Amount"] = "3",
        ["Billing:Alerts:CostThresholds:3:Kind"] = "customer_daily",
        ["Billing:Alerts:CostThresholds:3:Amount"] = "2",
        ["Billing:Alerts:CostThresholds:3:Currency"] = "USD",
    };

    public static CatalogSilo Start(TestDatabase database, CapturedLogs logs, DateTimeOffset now) =>
        CatalogSilo.Start(database, services => services.AddSingleton<ILoggerProvider>(logs), now, SmallThresholds);

    public static async Task<string> PlanAsync(CatalogSilo silo, decimal price, string currency, long tokens) =>
        (await silo.PostAsync("/api/v1/admin/plans", new { name = "Prepaid", price, currency, tokens_included = tokens, duration_days = 365 }))
            .GetProperty("id").GetString()!;

    /// <summary>A customer in <paramref name="currency"/> with one shop, its key, and the plan granted: (customer id, key).</summary>
    public static async Task<(string CustomerId, string Key)> CustomerAsync(CatalogSilo silo, string planId, string currency = "EUR")
    {
        var customer = await silo.PostAsync("/api/v1/admin/customers", new { name = "Acme", email = "billing@acme.com", currency });
        var customerId = customer.GetProperty("id").GetString()!;
        var shopId = (await silo.PostAsync($"/api/v1/admin/customers/{customerId}/shops", new { name = "Web shop" })).GetProperty("id").GetString()!;
        var key = (await silo.PostAsync($"/api/v1/admin/shops/{shopId}/api-keys", new { name = "production" })).GetProperty("key").GetString()!;
        await GrantAsync(silo, customerId, planId);
        return (customerId, key);
    }

    /// <summary>A plan of <paramref name="tokens"/> for €<paramref name="price"/> and one customer on it: (plan id, customer id, key).</summary>
    public static async Task<(string PlanId, string CustomerId, string Key)> OneCustomerAsync(CatalogSilo silo, decimal price, long tokens)
    {
        var planId = await PlanAsync(silo, price, "EUR", tokens);
        var (customerId, key) = await CustomerAsync(silo, planId);
        return (planId, customerId, key);
    }

    public static Task GrantAsync(CatalogSilo silo, string customerId, string planId) =>
        silo.PostAsync($"/api/v1/admin/customers/{customerId}/subscription", new { plan_id = planId }, HttpStatusCode.OK);

    public static async Task ConsumeAsync(CatalogSilo silo, string key, long tokens, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = BillingScenario.Client(silo, key);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/tokens/consume", new { tokens });
        await CatalogSilo.ReadAsync(response, expected);
    }

    /// <summary>The alerts as the API lists them, newest first; checks that they come in that order.</summary>
    public static async Task<IReadOnlyList<Listed>> ListAsync(CatalogSilo silo, string query = "")
    {
        var body = await silo.GetAsync(silo.Admin, "/api/v1/admin/alerts" + query);
        var alerts = body.GetProperty("alerts").EnumerateArray()
            .Select(a => new Listed(Text(a, "kind"), Text(a, "subject"), Text(a, "period_key"), Text(a, "threshold"), Text(a, "observed"), a.GetProperty("raised_at").GetDateTimeOffset()))
            .ToList();
        Assert.True(alerts.Zip(alerts.Skip(1)).All(pair => pair.First.RaisedAt >= pair.Second.RaisedAt), "alerts come newest first");
        Assert.All(body.GetProperty("alerts").EnumerateArray(), a => Assert.StartsWith("alert_", Text(a, "id"), StringComparison.Ordinal));
        return alerts;
    }

    /// <summary>Alerts raised at one instant come in id order, which is random: this order is stable for comparing.</summary>
    public static List<Listed> Canonical(IEnumerable<Listed> alerts) =>
        [.. alerts.OrderByDescending(a => a.RaisedAt).ThenBy(a => a.Kind, StringComparer.Ordinal).ThenBy(a => a.Subject, StringComparer.Ordinal).ThenBy(a => a.PeriodKey, StringComparer.Ordinal)];

    public static Task<long> CountAsync(CatalogSilo silo, string where) => BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM alerts WHERE {where}");

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public sealed record Listed(string Kind, string Subject, string PeriodKey, string Threshold, string Observed, DateTimeOffset RaisedAt);
}
