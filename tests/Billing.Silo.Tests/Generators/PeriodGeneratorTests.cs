extern alias cli;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Readme;
using GenerateRequest = cli::Billing.Cli.Generate.GenerateRequest;
using MonthPlan = cli::Billing.Cli.Generate.MonthPlan;
using MonthPlanner = cli::Billing.Cli.Generate.MonthPlanner;
using PeriodStatus = cli::Billing.Cli.Generate.PeriodStatus;

namespace Billing.Silo.Tests.Generators;

/// <summary>
/// Seed 000's generator end to end: <c>billing generate periods</c> and <c>billing verify periods</c> run in-process
/// against a real silo (its clock and in-memory HTTP), and what they made is read back through the normal API.
/// </summary>
public sealed class PeriodGeneratorTests
{
    private const string Email = "seed000@example.com";
    private const int Seed = 42;

    // 21 November 2026: September (odd) and October (even) are past, November is current.
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    // September starts 81 days back: beyond the default 62 days usage may be back-dated.
    private static readonly Dictionary<string, string> Settings = new() { ["Billing:Invoicing:MaxBackdateDays"] = "100" };

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task PastOddMonthIsPaidEvenMonthTurnsOverdueCurrentMonthPendingWithKeysRequestsAndCostsAsSeed000Says(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, Now, Settings);
        var plans = new List<MonthPlan>();
        foreach (var month in new[] { 9, 10, 11 })
        {
            var run = await RunAsync(silo, "generate", "periods", "--month", $"{month}", "--year", "2026", "--email", Email, "--min", "10", "--max", "30", "--seed", $"{Seed}");
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.StartsWith($"Seed: {Seed}\n", run.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("\u001b", run.Stdout, StringComparison.Ordinal);
            plans.Add(MonthPlanner.Plan(new GenerateRequest(2026, month, Email, 10, 30, null, Seed), Now));
        }

        var (september, october, november) = (plans[0], plans[1], plans[2]);
        Assert.Equal((PeriodStatus.Paid, PeriodStatus.Overdue, PeriodStatus.Pending), (september.Status, october.Status, november.Status));
        Assert.Equal((30, 31, 21), (september.Days.Count, october.Days.Count, november.Days.Count));
        foreach (var plan in plans)
        {
            Assert.All(plan.Days, day => Assert.InRange(day.Requests.Count, 10, 30));
            Assert.InRange((plan.Requests - plan.Failures) / (decimal)plan.Requests, 0.85m, 0.90m);
        }

        var customer = Assert.Single((await silo.GetAsync(silo.Admin, $"/api/v1/admin/customers?q={Email}")).GetProperty("customers").EnumerateArray());
        var customerId = customer.GetProperty("id").GetString()!;
        var shops = (await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops?customer_id={customerId}")).GetProperty("shops").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("id").GetString()!);
        Assert.Equal(["NOVEMBER 2026 (generated)", "OCTOBER 2026 (generated)", "SEPTEMBER 2026 (generated)"], shops.Keys.Order());

        var sept = await PeriodAsync(silo, shops["SEPTEMBER 2026 (generated)"], "2026-09-01");
        Assert.Equal(("paid", "2026-09-30", "GEN-SEPTEMBER-2026-42", 0), Standing(sept));
        Assert.Equal(september.Requests * 0.01m, sept.GetProperty("total").GetDecimal());
        Assert.Equal(Now, sept.GetProperty("paid_at").GetDateTimeOffset());
        var oct = await PeriodAsync(silo, shops["OCTOBER 2026 (generated)"], "2026-10-01");
        Assert.Equal(("pending", "2026-10-31", null, 0), Standing(oct));
        Assert.Equal((october.Requests * 0.01m, "2026-12-05"), (oct.GetProperty("total").GetDecimal(), oct.GetProperty("due_date").GetString()));
        var nov = await PeriodAsync(silo, shops["NOVEMBER 2026 (generated)"], "2026-11-01");
        Assert.Equal(("pending", "2026-11-30", null, 0), Standing(nov));
        Assert.Equal((true, JsonValueKind.Null), (nov.GetProperty("is_current").GetBoolean(), nov.GetProperty("total").ValueKind));

        foreach (var (plan, shop) in plans.Zip(new[] { "SEPTEMBER", "OCTOBER", "NOVEMBER" }))
        {
            var keys = (await silo.GetAsync(silo.Admin, $"/api/v1/admin/api-keys?shop_id={shops[$"{shop} 2026 (generated)"]}")).GetProperty("api_keys");
            Assert.Equal(shop, Assert.Single(keys.EnumerateArray()).GetProperty("name").GetString());
            var usage = await silo.GetAsync(silo.Admin, $"/api/v1/admin/analytics/usage?customer_id={customerId}&from={plan.FirstDay:yyyy-MM-dd}&to={(plan.IsCurrent ? "2026-11-21" : plan.LastDay.ToString("yyyy-MM-dd"))}");
            Assert.Equal((plan.Requests, plan.Failures), (usage.GetProperty("totals").GetProperty("requests").GetInt32(), usage.GetProperty("totals").GetProperty("errors").GetInt32()));
            Assert.Equal(plan.Days.Select(d => d.Requests.Count), usage.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("requests").GetInt32()));
        }

        var again = await RunAsync(silo, "generate", "periods", "--month", "10", "--year", "2026", "--email", Email, "--seed", "7");
        Assert.Equal(4, again.ExitCode);
        Assert.Contains("OCTOBER 2026 was generated for seed000@example.com before", again.Stderr, StringComparison.Ordinal);

        silo.Time.Advance(new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero) - silo.Time.GetUtcNow());
        Assert.Equal(("overdue", "2026-10-31", null, 5), Standing(await PeriodAsync(silo, shops["OCTOBER 2026 (generated)"], "2026-10-01")));

        var verify = await RunAsync(silo, "verify", "periods", "--email", Email);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains("SEPTEMBER 2026  PAID  2026-09-01..2026-09-30, invoice INV-2026-", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("reference GEN-SEPTEMBER-2026-42", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("OCTOBER 2026  OVERDUE  2026-10-01..2026-10-31", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("due 2026-12-05, 5 days overdue", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("NOVEMBER 2026  PENDING", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  Requests: {october.Requests} ({october.Requests - october.Failures} succeeded, {october.Failures} failed", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains($"cost ${october.Cost:0.00}", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("  Key: OCTOBER (bk_live_", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  Daily: 30 days, min {september.Days.Min(d => d.Requests.Count)}, max {september.Days.Max(d => d.Requests.Count)}", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Total: 3 periods (1 overdue, 1 paid, 1 pending), ${september.Cost + october.Cost + november.Cost:0.00}", verify.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleanupClosesTheGeneratedShopsWaivesWhatIsUnpaidAndFreesTheEmailForANewRun()
    {
        await using var database = await TestDatabase.CreateAsync(StorageOptions.Sqlite);
        await using var silo = CatalogSilo.Start(database, configure: null, Now, Settings);
        Assert.Equal(0, (await RunAsync(silo, "generate", "periods", "--month", "10", "--year", "2026", "--email", Email, "--seed", "1")).ExitCode);
        Assert.Equal(0, (await RunAsync(silo, "generate", "periods", "--month", "11", "--year", "2026", "--email", Email, "--seed", "1")).ExitCode);

        var cleanup = await RunAsync(silo, "generate", "cleanup", "--email", Email);

        Assert.True(cleanup.ExitCode == 0, cleanup.Stderr);
        Assert.Contains("Cleaned up 2 generated months of seed000@example.com: shops closed, keys revoked, 2 unpaid invoices waived", cleanup.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(
            (await silo.GetAsync(silo.Admin, $"/api/v1/admin/customers?q={Email}")).GetProperty("customers").EnumerateArray(),
            c => c.GetProperty("email").GetString() == Email);
        Assert.Equal(0, (await RunAsync(silo, "generate", "periods", "--month", "10", "--year", "2026", "--email", Email, "--seed", "1")).ExitCode);
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(CatalogSilo silo, params string[] args) => InProcessCli.RunAsync(silo, args);

    private static async Task<JsonElement> PeriodAsync(CatalogSilo silo, string shopId, string start) =>
        (await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}/periods")).GetProperty("periods").EnumerateArray()
            .Single(p => p.GetProperty("period_start").GetString() == start);

    private static (string?, string?, string?, int) Standing(JsonElement period) =>
        (period.GetProperty("status").GetString(), period.GetProperty("period_end").GetString(), period.GetProperty("payment_reference").GetString(),
            period.GetProperty("days_overdue").GetInt32());
}
