using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Tests.Catalog;
using Billing.Testing;

namespace Billing.Silo.Tests.Closing;

/// <summary>
/// A customer in Amsterdam moves to New York in December: each shop finishes December in Amsterdam,
/// and January runs in New York from where December ended (31 December 23:00 UTC) to New York's
/// 1 February (05:00 UTC), six hours longer than a month; February is a plain New York month.
/// </summary>
public sealed class TimeZoneChangeTests
{
    private const string NewYork = "America/New_York";

    private static readonly DateTimeOffset December20 = new(2026, 12, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DecemberEnds = new(2026, 12, 31, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset JanuaryEnds = new(2027, 2, 1, 5, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AfterAMoveWestTheOpenPeriodEndsInTheOldZoneAndTheNextRunsInTheNewOneFromThatInstant(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: December20);
        var (customerId, shopId, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        using var client = BillingScenario.Client(silo, key);
        await BillingScenario.ConsumeAsync(silo, key, 2);

        await PatchZoneAsync(silo, customerId, NewYork);
        var afterPatch = await silo.GetAsync(client, "/api/v1/usage");
        var dueAfterPatch = await BillingScenario.CloseReminderDueAsync(silo, shopId);
        await PlanScenario.AdvanceAsync(silo, DecemberEnds.AddMinutes(-30)); // 23:30 in Amsterdam, the last half hour of December
        await BillingScenario.ConsumeAsync(silo, key, 3);
        await PlanScenario.AdvanceAsync(silo, DecemberEnds.AddMinutes(30));  // 18:30 on 31 December in New York: January's first hours
        await BillingScenario.ConsumeAsync(silo, key, 4);
        var bridgeBeforeTheClose = await silo.GetAsync(client, "/api/v1/usage");
        await PlanScenario.AdvanceAsync(silo, DecemberEnds + Grace);
        var dueAfterDecember = await BillingScenario.CloseReminderDueAsync(silo, shopId);
        await PlanScenario.AdvanceAsync(silo, new DateTimeOffset(2027, 1, 15, 12, 0, 0, TimeSpan.Zero));
        await BillingScenario.ConsumeAsync(silo, key, 5);
        await PlanScenario.AdvanceAsync(silo, JanuaryEnds.AddMinutes(-30));  // 23:30 on 31 January in New York
        await BillingScenario.ConsumeAsync(silo, key, 1);
        var january = await silo.GetAsync(client, "/api/v1/usage");
        await PlanScenario.AdvanceAsync(silo, JanuaryEnds.AddMinutes(30));
        await BillingScenario.ConsumeAsync(silo, key, 6);
        await PlanScenario.AdvanceAsync(silo, JanuaryEnds + Grace);

        Assert.Equal(("2026-12-01", "2026-12-31", "Europe/Amsterdam", 2L), Usage(afterPatch));
        Assert.Equal(DecemberEnds + Grace, dueAfterPatch);
        Assert.Equal(("2027-01-01", "2027-01-31", NewYork, 4L), Usage(bridgeBeforeTheClose));
        Assert.Equal(JanuaryEnds + Grace, BillingScenario.WholeSecond(dueAfterDecember));
        Assert.Equal(("2027-01-01", "2027-01-31", NewYork, 10L), Usage(january));
        var invoices = await PlanScenario.InvoicesAsync(silo, key);
        Assert.Equal(2, invoices.Count);
        Assert.Equal(("2026-12-01", "2026-12-31"), PlanScenario.Period(invoices[0]));
        Assert.Equal([("API requests", 5m, 0.01m, 0.05m)], PlanScenario.Lines(invoices[0]));
        Assert.Equal((0.05m, 0.01m, 0.06m), PlanScenario.Totals(invoices[0]));
        Assert.Equal(("2027-01-01", "2027-01-31"), PlanScenario.Period(invoices[1]));
        Assert.Equal([("API requests", 10m, 0.01m, 0.10m)], PlanScenario.Lines(invoices[1]));
        // VAT 21 % of 0.10 is 0.021, rounded half-even to 0.02.
        Assert.Equal((0.10m, 0.02m, 0.12m), PlanScenario.Totals(invoices[1]));
        Assert.Equal(["INV-2027-000001", "INV-2027-000002"], await BillingScenario.InvoiceNumbersAsync(silo)); // both issued in 2027

        var periods = await PeriodsAsync(silo, client, $"/api/v1/billing/periods");
        Assert.Equal(
            [
                ("2027-02-01", "2027-02-28", NewYork, JanuaryEnds, new DateTimeOffset(2027, 3, 1, 5, 0, 0, TimeSpan.Zero), true),
                ("2027-01-01", "2027-01-31", NewYork, DecemberEnds, JanuaryEnds, false),
                ("2026-12-01", "2026-12-31", "Europe/Amsterdam", new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), DecemberEnds, false),
            ],
            periods);
        Assert.Equal(periods, await PeriodsAsync(silo, silo.Admin, $"/api/v1/admin/shops/{shopId}/periods"));
        Assert.Equal(("2027-02-01", "2027-02-28", NewYork, 6L), Usage(await silo.GetAsync(client, "/api/v1/usage")));
        Assert.Equal((5L, 10L), await FrozenRequestsAsync(silo));
    }

    /// <summary>
    /// Usage back-dated after December's close: into December (Amsterdam) it is late usage on
    /// January's invoice; into January's first hours, before New York's midnight, it is January's own.
    /// </summary>
    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task UsageBackDatedAcrossTheMoveIsBilledOnceLateOrInTheBridge(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: December20);
        var (customerId, _, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        await PatchZoneAsync(silo, customerId, NewYork);
        await PlanScenario.AdvanceAsync(silo, DecemberEnds + Grace);
        using var client = BillingScenario.Client(silo, key);

        await LateUsageTests.ConsumeAtAsync(client, "2026-12-31T22:30:00Z", HttpStatusCode.OK); // 23:30 in Amsterdam: December, invoiced already
        await LateUsageTests.ConsumeAtAsync(client, "2026-12-31T23:30:00Z", HttpStatusCode.OK); // 18:30 on 31 December in New York: January
        var bridge = await silo.GetAsync(client, "/api/v1/usage");
        await PlanScenario.AdvanceAsync(silo, JanuaryEnds + Grace);

        Assert.Equal(("2027-01-01", "2027-01-31", NewYork, 1L), Usage(bridge));
        var january = (await PlanScenario.InvoicesAsync(silo, key))[1];
        Assert.Equal([("API requests", 1m, 0.01m, 0.01m), ("Late usage: API requests", 1m, 0.01m, 0.01m)], PlanScenario.Lines(january));
    }

    /// <summary>
    /// New York to Amsterdam: December ends at New York's midnight (05:00 UTC), so January, in
    /// Amsterdam, is six hours short of a month; a monthly plan still bills it as one month.
    /// </summary>
    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AfterAMoveEastTheBridgeIsShorterAndBillsTheMonthsFixedChargesInFull(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: December20);
        var (customerId, shopId, key) = await BillingScenario.CustomerAsync(silo, NewYork);
        var standard = await PlanScenario.PerSeatPlanAsync(silo, "Standard", 10m, currency: "EUR");
        await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = standard, seats = 3 });
        await PatchZoneAsync(silo, customerId, "Europe/Amsterdam");
        var newYorkEnds = new DateTimeOffset(2027, 1, 1, 5, 0, 0, TimeSpan.Zero);
        var amsterdamEnds = new DateTimeOffset(2027, 1, 31, 23, 0, 0, TimeSpan.Zero);

        await PlanScenario.AdvanceAsync(silo, newYorkEnds.AddHours(-2)); // 03:00 on 1 January in Amsterdam, still December in New York
        await BillingScenario.ConsumeAsync(silo, key, 1);
        await PlanScenario.AdvanceAsync(silo, newYorkEnds + Grace);
        var dueAfterDecember = await BillingScenario.CloseReminderDueAsync(silo, shopId);
        await BillingScenario.ConsumeAsync(silo, key, 2);
        await PlanScenario.AdvanceAsync(silo, amsterdamEnds + Grace);

        Assert.Equal(amsterdamEnds + Grace, BillingScenario.WholeSecond(dueAfterDecember));
        var invoices = await PlanScenario.InvoicesAsync(silo, key);
        Assert.Equal(2, invoices.Count);
        Assert.Equal([("Standard: 12 remaining of 31 days", 12m, 30.00m / 31, 11.61m)], PlanScenario.Lines(invoices[0]));
        Assert.Equal(("2027-01-01", "2027-01-31"), PlanScenario.Period(invoices[1]));
        Assert.Equal([("Screens", 3m, 10.00m, 30.00m)], PlanScenario.Lines(invoices[1]));
        Assert.Equal((30.00m, 6.30m, 36.30m), PlanScenario.Totals(invoices[1]));
        using var client = BillingScenario.Client(silo, key);
        var periods = await PeriodsAsync(silo, client, "/api/v1/billing/periods");
        Assert.Equal((newYorkEnds, amsterdamEnds), Bounds(periods[1]));
        Assert.Equal(("Europe/Amsterdam", NewYork), (periods[1].Zone, periods[2].Zone));
        Assert.Equal((1L, 2L), await FrozenRequestsAsync(silo));
    }

    /// <summary>
    /// A restart in the middle of the bridge rebuilds it from storage: the period row's start instant,
    /// not its first New York midnight, so the hours before that midnight still count once, in January.
    /// </summary>
    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AfterARestartTheBridgeStillStartsWhereTheOldZonesPeriodEnded(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        string key;
        await using (var before = CatalogSilo.Start(database, configure: null, now: December20))
        {
            var customer = await BillingScenario.CustomerAsync(before, "Europe/Amsterdam");
            key = customer.Key;
            await PatchZoneAsync(before, customer.CustomerId, NewYork);
            await BillingScenario.ConsumeAsync(before, key, 2);
            await PlanScenario.AdvanceAsync(before, DecemberEnds.AddMinutes(30));
            await BillingScenario.ConsumeAsync(before, key, 4);
            await PlanScenario.AdvanceAsync(before, DecemberEnds + Grace);
        }

        await using var after = CatalogSilo.Start(database, configure: null, now: new DateTimeOffset(2027, 1, 15, 12, 0, 0, TimeSpan.Zero));
        using var client = BillingScenario.Client(after, key);
        var restarted = await after.GetAsync(client, "/api/v1/usage");
        await BillingScenario.ConsumeAsync(after, key, 5);
        await PlanScenario.AdvanceAsync(after, JanuaryEnds + Grace);

        Assert.Equal(("2027-01-01", "2027-01-31", NewYork, 4L), Usage(restarted));
        var invoices = await PlanScenario.InvoicesAsync(after, key);
        Assert.Equal([("API requests", 2m, 0.01m, 0.02m)], PlanScenario.Lines(invoices[0]));
        Assert.Equal(("2027-01-01", "2027-01-31"), PlanScenario.Period(Assert.Single(invoices.Skip(1))));
        Assert.Equal([("API requests", 9m, 0.01m, 0.09m)], PlanScenario.Lines(invoices[1]));
        Assert.Equal((DecemberEnds, JanuaryEnds), Bounds((await PeriodsAsync(after, client, "/api/v1/billing/periods"))[1]));
    }

    private static async Task PatchZoneAsync(CatalogSilo silo, string customerId, string zone)
    {
        using var response = await silo.Admin.PatchAsJsonAsync(new Uri($"/api/v1/admin/customers/{customerId}", UriKind.Relative), new { time_zone = zone });
        await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);
    }

    /// <summary>The requests December's and January's rows froze at their closes.</summary>
    private static async Task<(long December, long January)> FrozenRequestsAsync(CatalogSilo silo) =>
        (await BillingScenario.CountAsync(silo, "SELECT requests FROM billing_periods WHERE period_start = '2026-12-01'"),
            await BillingScenario.CountAsync(silo, "SELECT requests FROM billing_periods WHERE period_start = '2027-01-01'"));

    private static (string Start, string End, string Zone, long Requests) Usage(JsonElement usage) =>
        (usage.GetProperty("period_start").GetString()!, usage.GetProperty("period_end").GetString()!, usage.GetProperty("time_zone").GetString()!,
            usage.GetProperty("totals").GetProperty("requests").GetInt64());

    private static async Task<List<(string Start, string End, string Zone, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool IsCurrent)>> PeriodsAsync(
        CatalogSilo silo, HttpClient client, string path) =>
        [.. (await silo.GetAsync(client, path)).GetProperty("periods").EnumerateArray().Select(p => (
            p.GetProperty("period_start").GetString()!, p.GetProperty("period_end").GetString()!, p.GetProperty("time_zone").GetString()!,
            p.GetProperty("starts_at").GetDateTimeOffset(), p.GetProperty("ends_at").GetDateTimeOffset(), p.GetProperty("is_current").GetBoolean()))];

    private static (DateTimeOffset StartsAt, DateTimeOffset EndsAt) Bounds((string, string, string, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool) period) =>
        (period.StartsAt, period.EndsAt);
}
