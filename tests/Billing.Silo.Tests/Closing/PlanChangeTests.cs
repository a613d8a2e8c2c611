using System.Net;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Metering;
using Billing.Silo.Tests.Catalog;

namespace Billing.Silo.Tests.Closing;

/// <summary>
/// Seed 003's plan changes through the admin API, on both dialects and a manual clock, for a dollar
/// customer in New York: an upgrade is prorated by the local day onto the month's invoice, a
/// downgrade waits for the next period, a cycle change starts the new cycle at the period end.
/// </summary>
public sealed class PlanChangeTests
{
    // Noon on Tuesday 20 October 2026 in New York (EDT, UTC−4).
    private static readonly DateTimeOffset October20 = new(2026, 10, 20, 16, 0, 0, TimeSpan.Zero);

    // 22:00 on Monday 16 November in New York (EST, UTC−5): already the 17th in UTC.
    private static readonly DateTimeOffset November16Evening = new(2026, 11, 17, 3, 0, 0, TimeSpan.Zero);

    // Each month ends at local midnight (05:00 UTC in winter, 04:00 in summer) and closes an hour later.
    private static readonly DateTimeOffset OctoberClosed = new(2026, 11, 1, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NovemberClosed = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DecemberClosed = new(2027, 1, 1, 6, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task UpgradeOnDay16BillsTheOldPlanForFifteenDaysAndTheNewPlanForTheRestOnTheMonthsInvoice(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: October20);
        var (shopId, key, _, proPlus) = await ShopOnStandardFromNovemberAsync(silo);

        await PlanScenario.AdvanceAsync(silo, November16Evening);
        var upgrade = await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = proPlus });
        await PlanScenario.AdvanceAsync(silo, NovemberClosed);

        Assert.Equal(("upgrade", "2026-11-16"), (upgrade.GetProperty("kind").GetString(), upgrade.GetProperty("effective_date").GetString()));
        (string, decimal, decimal, decimal)[] proration =
        [
            ("Standard: credit for 15 unused of 30 days", 15m, -1.00m, -15.00m),
            ("Pro Plus: 15 remaining of 30 days", 15m, 1.50m, 22.50m),
        ];
        Assert.Equal(proration, PlanScenario.Lines(upgrade));
        var terms = upgrade.GetProperty("billing");
        Assert.Equal((proPlus, 3, JsonValueKind.Null), (terms.GetProperty("price_plan_id").GetString(), terms.GetProperty("seats").GetInt32(), terms.GetProperty("next_price_plan_id").ValueKind));

        var november = (await PlanScenario.InvoicesAsync(silo, key))[1];
        Assert.Equal(("2026-11-01", "2026-11-30"), PlanScenario.Period(november));
        Assert.Equal([("Screens", 3m, 10.00m, 30.00m), .. proration], PlanScenario.Lines(november));
        // 30 × 15/30 + 45 × 15/30 = 37.50; VAT 21 % = 7.875, half-even to 7.88.
        Assert.Equal((37.50m, 7.88m, 45.38m), PlanScenario.Totals(november));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE shop_id = '{shopId}' AND period_start = '2026-12-01' AND price_plan_id = '{proPlus}' AND seats = 3"));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM pending_invoice_lines WHERE billed_invoice_id IS NULL"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task FirstPlanOfAShopIsChargedFromTheDayItIsAssigned(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: October20);

        var (_, key, _, _) = await ShopOnStandardFromNovemberAsync(silo);

        // The default plan has no fixed charge, so its zero credit is left out.
        var october = Assert.Single(await PlanScenario.InvoicesAsync(silo, key));
        Assert.Equal([("Standard: 12 remaining of 31 days", 12m, 30.00m / 31, 11.61m)], PlanScenario.Lines(october));
        Assert.Equal((11.61m, 2.44m, 14.05m), PlanScenario.Totals(october));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task SecondUpgradeInAMonthCreditsThePlanInEffectNotTheOneTheMonthOpenedWith(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: October20);
        var (shopId, key, _, proPlus) = await ShopOnStandardFromNovemberAsync(silo);

        await PlanScenario.AdvanceAsync(silo, November16Evening);
        await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = proPlus });
        await PlanScenario.AdvanceAsync(silo, new DateTimeOffset(2026, 11, 21, 15, 0, 0, TimeSpan.Zero)); // 10:00 on the 21st
        var moreScreens = await PlanScenario.PutTermsAsync(silo, shopId, new { seats = 5 });
        await PlanScenario.AdvanceAsync(silo, NovemberClosed);

        Assert.Equal(("upgrade", "2026-11-21"), (moreScreens.GetProperty("kind").GetString(), moreScreens.GetProperty("effective_date").GetString()));
        var november = (await PlanScenario.InvoicesAsync(silo, key))[1];
        Assert.Equal(
            [
                ("Screens", 3m, 10.00m, 30.00m),
                ("Standard: credit for 15 unused of 30 days", 15m, -1.00m, -15.00m),
                ("Pro Plus: 15 remaining of 30 days", 15m, 1.50m, 22.50m),
                ("Pro Plus: credit for 10 unused of 30 days", 10m, -1.50m, -15.00m),
                ("Pro Plus: 10 remaining of 30 days", 10m, 75.00m / 30, 25.00m),
            ],
            PlanScenario.Lines(november));
        // 30 × 15/30 + 45 × 5/30 + 75 × 10/30 = 15 + 7.50 + 25 = 47.50.
        Assert.Equal((47.50m, 9.98m, 57.48m), PlanScenario.Totals(november));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task DowngradeMidMonthLeavesTheMonthsInvoiceAsItWasAndTheNextMonthOpensWithTheNewPlan(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: October20);
        var standard = await PlanScenario.PerSeatPlanAsync(silo, "Standard", 10m);
        var proPlus = await PlanScenario.PerSeatPlanAsync(silo, "Pro Plus", 15m);
        var (shopId, key) = await PlanScenario.ShopAsync(silo);
        await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = proPlus, seats = 3 });
        await PlanScenario.AdvanceAsync(silo, OctoberClosed);

        await PlanScenario.AdvanceAsync(silo, November16Evening);
        var downgrade = await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = standard });
        var scheduled = downgrade.GetProperty("billing");
        await PlanScenario.AdvanceAsync(silo, NovemberClosed);
        var december = await PlanScenario.TermsAsync(silo, shopId);
        await PlanScenario.AdvanceAsync(silo, DecemberClosed);

        Assert.Equal(("downgrade", "2026-12-01", 0), (downgrade.GetProperty("kind").GetString(), downgrade.GetProperty("effective_date").GetString(), downgrade.GetProperty("lines").GetArrayLength()));
        Assert.Equal((proPlus, standard, JsonValueKind.Null), (scheduled.GetProperty("price_plan_id").GetString(), scheduled.GetProperty("next_price_plan_id").GetString(), scheduled.GetProperty("next_seats").ValueKind));
        Assert.Equal((standard, JsonValueKind.Null, "2026-12-01"), (december.GetProperty("price_plan_id").GetString(), december.GetProperty("next_price_plan_id").ValueKind, december.GetProperty("current_period").GetProperty("start").GetString()));
        var invoices = await PlanScenario.InvoicesAsync(silo, key);
        Assert.Equal(3, invoices.Count);
        Assert.Equal([("Screens", 3m, 15.00m, 45.00m)], PlanScenario.Lines(invoices[1]));
        Assert.Equal((45.00m, 9.45m, 54.45m), PlanScenario.Totals(invoices[1]));
        Assert.Equal(("2026-12-01", "2026-12-31"), PlanScenario.Period(invoices[2]));
        Assert.Equal([("Screens", 3m, 10.00m, 30.00m)], PlanScenario.Lines(invoices[2]));
        Assert.Equal((30.00m, 6.30m, 36.30m), PlanScenario.Totals(invoices[2]));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task CycleChangeStartsTheNewCycleAtThePeriodEndWithAProratedBridgeToItsFirstBoundary(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: October20);
        var (shopId, key, standard, _) = await ShopOnStandardFromNovemberAsync(silo);

        await PlanScenario.AdvanceAsync(silo, November16Evening);
        var change = await PlanScenario.PutTermsAsync(silo, shopId, new { cycle = "weekly" });
        // Monday 30 November starts a week before the month is due: the reminder stays on the month's due instant,
        // then moves to the end of the bridge to the first weekly boundary.
        await PlanScenario.AdvanceAsync(silo, new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var dueBeforeTheClose = await BillingScenario.CloseReminderDueAsync(silo, shopId);
        await PlanScenario.AdvanceAsync(silo, NovemberClosed);
        var dueAfterTheClose = await BillingScenario.CloseReminderDueAsync(silo, shopId);
        var bridge = await PlanScenario.TermsAsync(silo, shopId);
        await PlanScenario.AdvanceAsync(silo, new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero)); // Monday 7 December, 01:00 local
        var weekly = await PlanScenario.TermsAsync(silo, shopId);

        Assert.Equal(("none", JsonValueKind.Null), (change.GetProperty("kind").GetString(), change.GetProperty("effective_date").ValueKind));
        Assert.Equal((NovemberClosed, new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero)), (dueBeforeTheClose, dueAfterTheClose));
        Assert.Equal(("monthly", "weekly"), (change.GetProperty("billing").GetProperty("cycle").GetString(), change.GetProperty("billing").GetProperty("next_cycle").GetString()));
        Assert.Equal(("weekly", JsonValueKind.Null, standard), (bridge.GetProperty("cycle").GetString(), bridge.GetProperty("next_cycle").ValueKind, bridge.GetProperty("price_plan_id").GetString()));
        Assert.Equal(("2026-12-01", "2026-12-06"), Span(bridge));
        Assert.Equal(("2026-12-07", "2026-12-13"), Span(weekly));
        var invoices = await PlanScenario.InvoicesAsync(silo, key);
        Assert.Equal([("Screens", 3m, 10.00m, 30.00m)], PlanScenario.Lines(invoices[1]));
        Assert.Equal(("2026-12-01", "2026-12-06"), PlanScenario.Period(invoices[2]));
        // Tuesday to Sunday: 6 of the 7 days of the week it ends, 30 × 6/7 = 25.714… → 25.71.
        Assert.Equal([("Screens: 6 of 7 days", 6m, 30.00m / 7, 25.71m)], PlanScenario.Lines(invoices[2]));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task RefusedChangesAnswerTheirCodesAndChangeNothing(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: October20);
        var (shopId, _, standard, _) = await ShopOnStandardFromNovemberAsync(silo);
        var euroPlan = await PlanScenario.PerSeatPlanAsync(silo, "Standard EU", 9m, currency: "EUR");
        var before = (await PlanScenario.TermsAsync(silo, shopId)).GetRawText();

        var mismatch = await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = euroPlan }, HttpStatusCode.UnprocessableEntity);
        var unknownPlan = await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = "price_00000000000000000000" }, HttpStatusCode.NotFound);
        var unknownShop = await PlanScenario.PutTermsAsync(silo, "shop_00000000000000000000", new { price_plan_id = standard }, HttpStatusCode.NotFound);
        var invalid = await PlanScenario.PutTermsAsync(silo, shopId, new { seats = -1, cycle = "daily" }, HttpStatusCode.BadRequest);
        var empty = await PlanScenario.PutTermsAsync(silo, shopId, new { }, HttpStatusCode.BadRequest);
        var tooMany = await PlanScenario.PutTermsAsync(silo, shopId, new { seats = 100_001 }, HttpStatusCode.BadRequest);
        // Between the end of November (05:00 UTC) and its close an hour later.
        await PlanScenario.AdvanceAsync(silo, new DateTimeOffset(2026, 12, 1, 5, 30, 0, TimeSpan.Zero));
        var closing = await PlanScenario.PutTermsAsync(silo, shopId, new { seats = 4 }, HttpStatusCode.Conflict);

        Assert.Equal("currency_mismatch", mismatch.GetProperty("code").GetString());
        Assert.Equal($"Price plan {euroPlan} is priced in EUR, but the customer is billed in USD.", mismatch.GetProperty("detail").GetString());
        Assert.Equal(("price_plan_not_found", "shop_not_found"), (unknownPlan.GetProperty("code").GetString(), unknownShop.GetProperty("code").GetString()));
        Assert.Equal("invalid_shop_terms", invalid.GetProperty("code").GetString());
        Assert.Equal(
            """{"seats":["seats must be between 0 and 100000"],"cycle":["cycle must be one of weekly, monthly, quarterly"]}""",
            invalid.GetProperty("errors").GetRawText());
        Assert.Equal("""{"price_plan_id":["give at least one of price_plan_id, seats and cycle"]}""", empty.GetProperty("errors").GetRawText());
        Assert.Equal("invalid_shop_terms", tooMany.GetProperty("code").GetString());
        Assert.Equal("period_closing", closing.GetProperty("code").GetString());
        Assert.Equal(before, (await PlanScenario.TermsAsync(silo, shopId)).GetRawText());
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM pending_invoice_lines WHERE billed_invoice_id IS NULL"));
    }

    /// <summary>
    /// Seed 003's Standard and Pro Plus, and a shop that takes Standard × 3 on 20 October, so that
    /// October is invoiced and November opens with Standard × 3.
    /// </summary>
    private static async Task<(string ShopId, string Key, string Standard, string ProPlus)> ShopOnStandardFromNovemberAsync(CatalogSilo silo)
    {
        var standard = await PlanScenario.PerSeatPlanAsync(silo, "Standard", 10m);
        var proPlus = await PlanScenario.PerSeatPlanAsync(silo, "Pro Plus", 15m);
        var (shopId, key) = await PlanScenario.ShopAsync(silo);
        await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = standard, seats = 3 });
        await PlanScenario.AdvanceAsync(silo, OctoberClosed);
        return (shopId, key, standard, proPlus);
    }

    private static (string Start, string End) Span(JsonElement terms)
    {
        var period = terms.GetProperty("current_period");
        return (period.GetProperty("start").GetString()!, period.GetProperty("end").GetString()!);
    }
}
