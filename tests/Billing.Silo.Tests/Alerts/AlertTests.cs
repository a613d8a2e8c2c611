using System.Net;
using Billing.Testing;
using Billing.Silo.Alerts;
using Billing.Silo.Tests.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Alerts;

/// <summary>Token and cost alerts through the real silo, on both dialects, on a manual clock.</summary>
public sealed class AlertTests
{
    // Saturday 21 November 2026, 11:00 in Amsterdam: ISO week 2026-W47 ends tomorrow.
    private static readonly DateTimeOffset Saturday = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task TokenThresholdsRaiseOneAlertEachPerGrantAcrossRestarts(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        var logs = new CapturedLogs();
        string customerId, key, planId;
        await using (var silo = AlertScenario.Start(database, logs, Saturday))
        {
            (planId, customerId, key) = await AlertScenario.OneCustomerAsync(silo, 1.00m, 1_000);
            var outbox = silo.Services.GetRequiredService<AlertOutbox>();

            await AlertScenario.ConsumeAsync(silo, key, 799);
            Assert.Equal(0, outbox.Accepted);
            await AlertScenario.ConsumeAsync(silo, key, 1);             // 800 of 1000: 80 %
            await AlertScenario.ConsumeAsync(silo, key, 150);           // 950: nothing new
            Assert.Equal(1, outbox.Accepted);
            silo.Time.Advance(TimeSpan.FromMinutes(1));
            await AlertScenario.ConsumeAsync(silo, key, 50);            // 1000: 100 %
            await AlertScenario.ConsumeAsync(silo, key, 1, HttpStatusCode.Forbidden);
            Assert.Equal(2, outbox.Accepted);
            await WrittenAsync(silo, 2);
        }

        await using var restarted = AlertScenario.Start(database, logs, Saturday.AddHours(1));
        await AlertScenario.ConsumeAsync(restarted, key, 1, HttpStatusCode.Forbidden);
        await WrittenAsync(restarted, 2);                               // the activation's re-check: both already stored
        await AlertScenario.GrantAsync(restarted, customerId, planId);  // a renewal: 1000 more tokens, a new grant
        await AlertScenario.ConsumeAsync(restarted, key, 800);
        await WrittenAsync(restarted, 3);

        Assert.Equal(
            [
                new("token_80", customerId, "grant-6", "80% of 1000 tokens", "800 tokens", Saturday.AddHours(1)),
                new("token_100", customerId, "grant-1", "100% of 1000 tokens", "1000 tokens", Saturday.AddMinutes(1)),
                new AlertScenario.Listed("token_80", customerId, "grant-1", "80% of 1000 tokens", "800 tokens", Saturday),
            ],
            await AlertScenario.ListAsync(restarted));
        Assert.Equal(3, logs.MessagesOf(AlertScenario.RaisedEventId).Count);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task OneConsumeCrossingBothThresholdsRaisesBoth(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = AlertScenario.Start(database, new CapturedLogs(), Saturday);
        var (_, customerId, key) = await AlertScenario.OneCustomerAsync(silo, 1.00m, 1_000);

        await AlertScenario.ConsumeAsync(silo, key, 1_000);
        await WrittenAsync(silo, 2);

        Assert.Equal(2, await AlertScenario.CountAsync(silo, $"subject = '{customerId}' AND period_key = 'grant-1' AND observed = '1000 tokens'"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task CostThresholdsRaiseOncePerDayWeekAndCustomerInTheIssuersZone(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        var logs = new CapturedLogs();
        await using (var silo = AlertScenario.Start(database, logs, Saturday))
        {
            var euros = await AlertScenario.PlanAsync(silo, 10_000m, "EUR", 1_000_000);   // €0.01 a token
            var dollars = await AlertScenario.PlanAsync(silo, 10_000m, "USD", 1_000_000); // $0.01 a token
            var (a, keyA) = await AlertScenario.CustomerAsync(silo, euros);
            var (b, keyB) = await AlertScenario.CustomerAsync(silo, euros);
            var (c, keyC) = await AlertScenario.CustomerAsync(silo, dollars, "USD");

            // Saturday 21 November in Amsterdam: A €4, B €2, C $2.50.
            await AlertScenario.ConsumeAsync(silo, keyA, 400);
            await AlertScenario.ConsumeAsync(silo, keyB, 200);
            await AlertScenario.ConsumeAsync(silo, keyC, 250);
            Assert.Equal(3, await EvaluateAsync(silo));
            Assert.Equal(0, await EvaluateAsync(silo));

            // 23:30 UTC is 00:30 on Sunday 22 November in Amsterdam: A €3, B €3; the week reaches €12.
            silo.Time.Advance(TimeSpan.FromHours(13.5));
            await AlertScenario.ConsumeAsync(silo, keyA, 300);
            await AlertScenario.ConsumeAsync(silo, keyB, 300);
            Assert.Equal(4, await EvaluateAsync(silo));

            // Monday 23 November, week 48: €1 reaches nothing.
            silo.Time.Advance(TimeSpan.FromHours(9.5));
            await AlertScenario.ConsumeAsync(silo, keyA, 100);
            Assert.Equal(0, await EvaluateAsync(silo));

            var sunday = Saturday.AddHours(13.5);
            Assert.Equal(
                AlertScenario.Canonical(
                [
                    new("cost_customer_daily", a, "2026-11-22", "EUR 3.00", "EUR 3.00", sunday),
                    new("cost_customer_daily", b, "2026-11-22", "EUR 3.00", "EUR 3.00", sunday),
                    new("cost_daily", "platform", "2026-11-22", "EUR 5.00", "EUR 6.00", sunday),
                    new("cost_weekly", "platform", "2026-W47", "EUR 12.00", "EUR 12.00", sunday),
                    new("cost_customer_daily", a, "2026-11-21", "EUR 3.00", "EUR 4.00", Saturday),
                    new("cost_customer_daily", c, "2026-11-21", "USD 2.00", "USD 2.50", Saturday),
                    new AlertScenario.Listed("cost_daily", "platform", "2026-11-21", "EUR 5.00", "EUR 6.00", Saturday),
                ]),
                AlertScenario.Canonical(await AlertScenario.ListAsync(silo)));
        }

        await using var restarted = AlertScenario.Start(database, logs, Saturday.AddDays(2).AddHours(1));
        Assert.Equal(0, await EvaluateAsync(restarted));
        Assert.Equal(7, await AlertScenario.CountAsync(restarted, "kind LIKE 'cost%'"));
        Assert.Equal(7, logs.MessagesOf(AlertScenario.RaisedEventId).Count);
        Assert.Contains(logs.MessagesOf(AlertScenario.RaisedEventId), m => m.EndsWith("Platform cost in week 2026-W47 reached EUR 12.00 (threshold EUR 12.00)", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AlertListFiltersByKindAndTimeAndRefusesBadQueries(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = AlertScenario.Start(database, new CapturedLogs(), Saturday);
        var (_, a, keyA) = await AlertScenario.OneCustomerAsync(silo, 10_000m, 1_000_000);
        await AlertScenario.ConsumeAsync(silo, keyA, 500);
        await EvaluateAsync(silo);                                       // Saturday: cost_daily and A's cost_customer_daily
        silo.Time.Advance(TimeSpan.FromDays(1));
        await AlertScenario.ConsumeAsync(silo, keyA, 700);
        await EvaluateAsync(silo);                                       // Sunday: both again, and the week's €12

        Assert.Equal(5, (await AlertScenario.ListAsync(silo)).Count);
        Assert.Equal(["2026-11-22", "2026-11-21"], (await AlertScenario.ListAsync(silo, "?kind=cost_daily")).Select(x => x.PeriodKey));
        Assert.Equal([a], (await AlertScenario.ListAsync(silo, "?since=2026-11-22T10:00:00Z&kind=cost_customer_daily&limit=5")).Select(x => x.Subject));
        Assert.Equal(3, (await AlertScenario.ListAsync(silo, "?since=2026-11-22T11:00:00%2B01:00")).Count);
        Assert.Empty(await AlertScenario.ListAsync(silo, "?since=2026-11-22T10:00:00.001Z"));
        Assert.Single(await AlertScenario.ListAsync(silo, "?limit=1"));
        var problem = await silo.GetAsync(silo.Admin, "/api/v1/admin/alerts?kind=cost_monthly&since=yesterday&limit=0", HttpStatusCode.BadRequest);
        Assert.Equal("invalid_query", problem.GetProperty("code").GetString());
        Assert.Equal(["kind", "limit", "since"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        using var anonymous = silo.CreateClient();
        await silo.GetAsync(anonymous, "/api/v1/admin/alerts", HttpStatusCode.Unauthorized);
    }

    private static Task<int> EvaluateAsync(CatalogSilo silo) =>
        silo.Services.GetRequiredService<CostAlertMonitor>().EvaluateAsync(CancellationToken.None);

    private static Task WrittenAsync(CatalogSilo silo, long count) =>
        Eventually.TrueAsync(() => silo.Services.GetRequiredService<AlertWriter>().Processed == count, $"{count} alerts written");
}
