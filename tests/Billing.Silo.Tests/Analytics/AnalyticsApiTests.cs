using System.Net;
using System.Text.Json;
using Billing.Silo.Metering;
using Billing.Silo.Tests.Catalog;
using Billing.Testing;
using static Billing.Silo.Tests.Analytics.AnalyticsScenario;

namespace Billing.Silo.Tests.Analytics;

/// <summary>MRR, revenue and usage of <see cref="AnalyticsScenario"/> through HTTP on both dialects, every figure computed by hand.</summary>
public sealed class AnalyticsApiTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task MrrMovementsRevenueAndUsageMatchTheHandComputedFigures(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: October20);
        var scenario = await RunAsync(silo);

        var mrr = await silo.GetAsync(silo.Admin, "/api/v1/admin/analytics/mrr?from=2026-10&to=2026-12");
        var revenue = await silo.GetAsync(silo.Admin, "/api/v1/admin/analytics/revenue?from=2026-10&to=2026-12");
        var usage = await silo.GetAsync(silo.Admin, $"/api/v1/admin/analytics/usage?customer_id={scenario.CustomerA}&from=2026-11-19&to=2026-11-21");

        AssertMrr(mrr, scenario);
        AssertRevenue(revenue, scenario);
        AssertUsage(usage, scenario);
    }

    [Theory]
    [InlineData("/api/v1/admin/analytics/mrr?from=2026-1&to=2026-03", 400, "invalid_month")]
    [InlineData("/api/v1/admin/analytics/mrr?to=2026-03", 400, "invalid_month")]
    [InlineData("/api/v1/admin/analytics/mrr?from=2026-04&to=2026-03", 400, "range_reversed")]
    [InlineData("/api/v1/admin/analytics/revenue?from=2024-01&to=2027-01", 400, "range_too_long")]
    [InlineData("/api/v1/admin/analytics/usage?customer_id=cus_x&from=2026-11-01&to=2026-11-31", 400, "invalid_date")]
    [InlineData("/api/v1/admin/analytics/usage?customer_id=cus_x&from=2026-01-01&to=2026-06-30", 400, "range_too_long")]
    [InlineData("/api/v1/admin/analytics/usage?from=2026-11-01&to=2026-11-30", 400, "customer_id_required")]
    [InlineData("/api/v1/admin/analytics/usage?customer_id=cus_missing&from=2026-11-01&to=2026-11-30", 404, "customer_not_found")]
    public async Task BadInputIsAProblemWithAStableCode(string path, int status, string code)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);

        var problem = await silo.GetAsync(silo.Admin, path, (HttpStatusCode)status);

        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnalyticsNeedTheAdminKey()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database);
        using var anonymous = silo.CreateClient();

        var problem = await silo.GetAsync(anonymous, "/api/v1/admin/analytics/mrr?from=2026-10&to=2026-12", HttpStatusCode.Unauthorized);

        Assert.Equal("unauthorized", problem.GetProperty("code").GetString());
    }

    private static void AssertMrr(JsonElement mrr, AnalyticsScenario scenario)
    {
        // October: A new on Standard × 3; C new on Basis × 1. D's Free plan starts with November.
        Assert.Equal((0m, 30.00m, 360.00m, 30.00m, 1), Headline(Currency(mrr, "2026-10", "USD")));
        Assert.Equal((30.00m, 1), Movement(Currency(mrr, "2026-10", "USD"), "new"));
        Assert.Equal([("Standard", 1, 30.00m)], Plans(Currency(mrr, "2026-10", "USD"), scenario));
        Assert.Equal((0m, 20.00m, 240.00m, 20.00m, 1), Headline(Currency(mrr, "2026-10", "EUR")));

        // November: A 30 → 45 (expansion), B new at 30; 75 over 2 paying customers.
        var november = Currency(mrr, "2026-11", "USD");
        Assert.Equal((30.00m, 75.00m, 900.00m, 37.50m, 2), Headline(november));
        Assert.Equal([(30.00m, 1), (15.00m, 1), (0m, 0), (0m, 0), (0m, 0)], Movements(november));
        Assert.Equal([("Free", 1, 0m), ("Pro Plus", 2, 75.00m)], Plans(november, scenario));
        Assert.Equal((20.00m, 20.00m, 240.00m, 20.00m, 1), Headline(Currency(mrr, "2026-11", "EUR")));

        // December: B's downgrade to Standard × 2 (contraction 10), C's cancellation (churn 20 EUR).
        var december = Currency(mrr, "2026-12", "USD");
        Assert.Equal((75.00m, 65.00m, 780.00m, 32.50m, 2), Headline(december));
        Assert.Equal([(0m, 0), (0m, 0), (10.00m, 1), (0m, 0), (0m, 0)], Movements(december));
        Assert.Equal([("Free", 1, 0m), ("Pro Plus", 1, 45.00m), ("Standard", 1, 20.00m)], Plans(december, scenario));
        var euro = Currency(mrr, "2026-12", "EUR");
        Assert.Equal((20.00m, 0m, 0m, 0m, 0), Headline(euro));
        Assert.Equal((20.00m, 1), Movement(euro, "churn"));
        Assert.Empty(euro.GetProperty("plans").EnumerateArray());
    }

    private static void AssertRevenue(JsonElement revenue, AnalyticsScenario scenario)
    {
        Assert.Empty(revenue.GetProperty("months")[0].GetProperty("currencies").EnumerateArray());

        // October's invoices, issued in November: A's 12 of 31 days of Standard × 3 (11.61 + 2.44 VAT), D's zero; C's 12/31 of 20 EUR.
        var november = Currency(revenue, "2026-11", "USD");
        Assert.Equal((2L, 11.61m, 2.44m, 14.05m), Totals(november.GetProperty("invoiced")));
        Assert.Equal((1L, 15.00m), (november.GetProperty("plan_sales").GetProperty("count").GetInt64(), november.GetProperty("plan_sales").GetProperty("amount").GetDecimal()));
        Assert.Equal(26.61m, november.GetProperty("net_revenue").GetDecimal());
        Assert.Equal([("token_plan", "Tokens", 1L, 15.00m), ("per_request", null, 2L, 11.61m)], RevenuePlans(november));
        Assert.Equal((1L, 7.74m, 1.63m, 9.37m), Totals(Currency(revenue, "2026-11", "EUR").GetProperty("invoiced")));

        // November's invoices, issued 1 December: A 37.50 (the prorated upgrade), B 29.00 (29 of 30 days of Pro Plus × 2), D 0; C 20 EUR.
        // B's refund of 12.10 is a credit note of 10.00 + 2.10 VAT (21/121 of it): net 66.50 − 10.00.
        var december = Currency(revenue, "2026-12", "USD");
        Assert.Equal((3L, 66.50m, 13.97m, 80.47m), Totals(december.GetProperty("invoiced")));
        Assert.Equal((1L, 10.00m, 2.10m, 12.10m), Totals(december.GetProperty("credited")));
        Assert.Equal(56.50m, december.GetProperty("net_revenue").GetDecimal());
        Assert.Equal([("price_plan", "Standard", 1L, 37.50m), ("per_request", null, 1L, 29.00m), ("price_plan", "Free", 1L, 0m)], RevenuePlans(december));
        Assert.Equal((1L, 20.00m, 4.20m, 24.20m), Totals(Currency(revenue, "2026-12", "EUR").GetProperty("invoiced")));
        Assert.NotNull(scenario);
    }

    private static void AssertUsage(JsonElement usage, AnalyticsScenario scenario)
    {
        Assert.Equal((scenario.CustomerA, "America/New_York"), (usage.GetProperty("customer_id").GetString(), usage.GetProperty("time_zone").GetString()));
        Assert.Equal((4L, 16L, 1L, 0.25m), Figures(usage.GetProperty("totals")));
        Assert.Equal(
            [("2026-11-19", (0L, 0L, 0L, 0m)), ("2026-11-20", (4L, 16L, 1L, 0.25m)), ("2026-11-21", (0L, 0L, 0L, 0m))],
            usage.GetProperty("days").EnumerateArray().Select(d => (d.GetProperty("date").GetString(), Figures(d))));
        Assert.Equal([("/v1/chat", (3L, 15L, 0L, 0m)), ("/v1/embed", (1L, 1L, 1L, 1m))], usage.GetProperty("endpoints").EnumerateArray().Select(e => (e.GetProperty("endpoint").GetString(), Figures(e))));
        Assert.Equal([(scenario.ShopA, (4L, 16L, 1L, 0.25m))], usage.GetProperty("shops").EnumerateArray().Select(s => (s.GetProperty("shop_id").GetString(), Figures(s))));
    }

    private static (decimal Starting, decimal Mrr, decimal Arr, decimal Arpu, int Paying) Headline(JsonElement c) =>
        (c.GetProperty("starting_mrr").GetDecimal(), c.GetProperty("mrr").GetDecimal(), c.GetProperty("arr").GetDecimal(), c.GetProperty("arpu").GetDecimal(), c.GetProperty("paying_customers").GetInt32());

    private static (decimal Amount, int Customers) Movement(JsonElement c, string kind) =>
        (c.GetProperty("movements").GetProperty(kind).GetProperty("amount").GetDecimal(), c.GetProperty("movements").GetProperty(kind).GetProperty("customers").GetInt32());

    private static List<(decimal, int)> Movements(JsonElement c) => [.. new[] { "new", "expansion", "contraction", "churn", "reactivation" }.Select(kind => Movement(c, kind))];

    private static List<(string, int, decimal)> Plans(JsonElement c, AnalyticsScenario scenario) =>
        [.. c.GetProperty("plans").EnumerateArray()
            .Select(p => (scenario.PlanNames[p.GetProperty("plan_id").GetString()!], p.GetProperty("customers").GetInt32(), p.GetProperty("mrr").GetDecimal()))
            .OrderBy(p => p.Item1, StringComparer.Ordinal)];

    private static (long, decimal, decimal, decimal) Totals(JsonElement t) =>
        (t.GetProperty("count").GetInt64(), t.GetProperty("subtotal").GetDecimal(), t.GetProperty("vat").GetDecimal(), t.GetProperty("total").GetDecimal());

    private static List<(string?, string?, long, decimal)> RevenuePlans(JsonElement c) =>
        [.. c.GetProperty("plans").EnumerateArray().Select(p =>
            (p.GetProperty("kind").GetString(), p.GetProperty("name").GetString(), p.GetProperty("count").GetInt64(), p.GetProperty("revenue").GetDecimal()))];

    private static (long, long, long, decimal) Figures(JsonElement f) =>
        (f.GetProperty("requests").GetInt64(), f.GetProperty("tokens").GetInt64(), f.GetProperty("errors").GetInt64(), f.GetProperty("error_rate").GetDecimal());
}
