extern alias cli;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Readme;
using Billing.Testing;
using ChangeKind = cli::Billing.Cli.Simulate.ChangeKind;
using LifecyclePlan = cli::Billing.Cli.Simulate.LifecyclePlan;
using LifecyclePlanner = cli::Billing.Cli.Simulate.LifecyclePlanner;
using LifecycleRules = cli::Billing.Cli.Simulate.LifecycleRules;

namespace Billing.Silo.Tests.Generators;

/// <summary>
/// Seed 003's simulator end to end: <c>billing simulate lifecycle</c> runs in-process against a real silo (its clock and
/// in-memory HTTP), and the analytics API's MRR is checked against figures worked out by hand from the plan of changes.
/// </summary>
public sealed class LifecycleSimulatorTests
{
    private const int Seed = 3;

    // 21 November 2026, noon UTC: the clocks start on 21 August and reach 21 September, October and November.
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    // A snapshot after each month's advance and changes.
    private static readonly string[] Months = ["2026-09", "2026-10", "2026-11"];

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task TwentyCustomersOverThreeMonthsHaveSeed003sSharesAndChangesAndTheirMrrEqualsTheAnalyticsApis(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, Now);

        var file = Path.Combine(Path.GetTempPath(), $"snapshots-{Guid.NewGuid():N}.json");

        var run = await InProcessCli.RunAsync(silo, "simulate", "lifecycle", "--customers", "20", "--months", "3", "--seed", $"{Seed}", "--snapshots", file);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.StartsWith($"Seed: {Seed}\n", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Simulating 20 customers over 3 months on 1 test clocks from 2026-08-21 12:00Z", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Changes: 3 upgrades, 1 downgrades, 2 cancellations; 1 past due (card declined)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("MRR equals the analytics API's for all 3 months.", run.Stdout, StringComparison.Ordinal);

        var clock = Assert.Single((await silo.GetAsync(silo.Admin, "/api/v1/admin/test-clocks")).GetProperty("test_clocks").EnumerateArray());
        Assert.Equal(("Simulation 3 #1", Now, 20), (clock.GetProperty("name").GetString(), clock.GetProperty("frozen_time").GetDateTimeOffset(), clock.GetProperty("customers").GetInt32()));
        var plan = LifecyclePlanner.Plan(Seed, 20, 3);
        var mrr = await silo.GetAsync(silo.Admin, "/api/v1/admin/analytics/mrr?from=2026-09&to=2026-11&include_test_clocks=true");
        var names = LifecycleRules.Tiers.Select(t => $"{t.Name} (simulation {Seed})").ToList();
        for (var month = 0; month < Months.Length; month++)
        {
            var figures = Assert.Single(mrr.GetProperty("months").EnumerateArray().Single(m => m.GetProperty("month").GetString() == Months[month]).GetProperty("currencies").EnumerateArray());
            var plans = figures.GetProperty("plans").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => (p.GetProperty("customers").GetInt32(), p.GetProperty("mrr").GetDecimal()));
            var expected = Expected(plan, month + 1);
            Assert.Equal(expected, names.Select(name => plans.GetValueOrDefault(name)));
            Assert.Equal(expected.Sum(e => e.Mrr), figures.GetProperty("mrr").GetDecimal());
            Assert.Contains($"  {Months[month]}  ", run.Stdout, StringComparison.Ordinal);
        }

        // The last snapshot: cancellations of months 1 and 2 have taken effect, month 3's (like its downgrade) at the next period.
        using (var snapshots = JsonDocument.Parse(await File.ReadAllBytesAsync(file)))
        {
            File.Delete(file);
            var last = snapshots.RootElement.GetProperty("months").EnumerateArray().Last();
            Assert.Equal(("2026-11", 20), (last.GetProperty("month").GetString(), last.GetProperty("subscriptions").GetArrayLength()));
            var statuses = last.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("status").GetString()).ToList();
            Assert.Equal(plan.Changes.Count(c => c.Kind == ChangeKind.Cancellation && c.Month < 3), statuses.Count(s => s == "canceled"));
            Assert.Equal(1, statuses.Count(s => s == "past_due"));
            Assert.Equal(
                Expected(plan, 3).Sum(e => e.Mrr),
                last.GetProperty("subscriptions").EnumerateArray().Sum(s => s.GetProperty("monthly_amount").GetDecimal()));
        }

        // Seed 003's shares of 20 customers as created: 5 Free, 4 Standard, 6 Pro Plus, 3 Engage, 2 Enterprise.
        Assert.Equal([5, 4, 6, 3, 2], Expected(plan, 0).Select(e => e.Customers));
    }

    [Fact]
    public async Task AnAnalyticsApiWhoseMrrDiffersFromTheSnapshotsFailsTheRunWithExit7AndSaysWhere()
    {
        await using var database = await TestDatabase.CreateAsync(StorageOptions.Sqlite);
        await using var silo = CatalogSilo.Start(database, configure: null, Now);
        using var tampered = new TamperedMrr(silo.Server.CreateHandler());

        var run = await InProcessCli.RunThroughAsync(silo, tampered, "simulate", "lifecycle", "--customers", "10", "--months", "1", "--seed", $"{Seed}");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("  2026-11 ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("DIFFERS", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"^billing: the MRR from the snapshots differs from the analytics API's: 2026-11 [A-Za-z ]+: \d+ customers \$[\d,.]+ here, \d+ customers \$[\d,.]+ in the API\.\n$", run.Stderr);
    }

    /// <summary>The silo's answers, but the first paying plan of the MRR report's first month shows $10.00 more.</summary>
    private sealed class TamperedMrr(HttpMessageHandler silo) : DelegatingHandler(silo)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!request.RequestUri!.AbsolutePath.EndsWith("/analytics/mrr", StringComparison.Ordinal))
            {
                return response;
            }

            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            var plan = body["months"]![0]!["currencies"]![0]!["plans"]!.AsArray().First(p => p!["mrr"]!.GetValue<decimal>() > 0)!;
            plan["mrr"] = plan["mrr"]!.GetValue<decimal>() + 10m;
            response.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            return response;
        }
    }

    /// <summary>
    /// Customers and MRR per plan at the end of month <paramref name="month"/> (0: as created), by hand from the plan: an
    /// upgrade counts from its month, a downgrade or cancellation from the month after (it takes effect at the next period).
    /// </summary>
    private static List<(int Customers, decimal Mrr)> Expected(LifecyclePlan plan, int month)
    {
        var terms = plan.Customers.Select(c => (c.Tier, c.Screens)).ToArray();
        foreach (var change in plan.Changes.Where(c => c.Kind == ChangeKind.Upgrade ? c.Month <= month : c.Month < month))
        {
            terms[change.Customer] = (change.Tier, change.Screens);
        }

        return [.. LifecycleRules.Tiers.Select((tier, index) => terms.Where(t => t.Tier == index && t.Screens > 0).ToList())
            .Select((on, index) => (on.Count, on.Sum(t => t.Screens * LifecycleRules.Tiers[index].PricePerScreen)))];
    }
}
