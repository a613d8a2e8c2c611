using System.Net;
using Billing.Silo.Grains;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Billing.Silo.Tests.TestClocks;

/// <summary>
/// A customer on a test clock lives in the clock's time: one advance closes every period due on the
/// way, in order, as the month-end reminders would have; on both dialects, the silo's own clock
/// standing still at 21 November 2026.
/// </summary>
public sealed class TestClockTests
{
    // Noon on Monday 20 January 2025 in New York (EST, UTC−5).
    private static readonly DateTimeOffset January20 = new(2025, 1, 20, 17, 0, 0, TimeSpan.Zero);

    // New Year's Day 2026, noon UTC: December 2025 ended at 05:00 UTC and closed an hour later.
    private static readonly DateTimeOffset NewYear2026 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task OneAdvanceThroughAYearOfMonthlyPeriodsIssuesTwelveInvoicesWithExactAmounts(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null);
        var (_, clockId, (_, shopId, key)) = await TestClockScenario.StandardOnClockAsync(silo, January20);

        var clock = await TestClockScenario.AdvanceAsync(silo, clockId, NewYear2026);

        Assert.Equal(NewYear2026, clock.GetProperty("frozen_time").GetDateTimeOffset());
        var invoices = await PlanScenario.InvoicesAsync(silo, key);
        Assert.Equal(12, invoices.Count);
        string[] periods = [.. Enumerable.Range(1, 12).Select(m => $"2025-{m:00}-01")];
        Assert.Equal(periods, invoices.Select(i => PlanScenario.Period(i).Start));
        // January from the 20th: 30.00 × 12/31 = 11.61; VAT 21 % = 2.4381, half-even to 2.44.
        Assert.Equal([("Standard: 12 remaining of 31 days", 12m, 30.00m / 31, 11.61m)], PlanScenario.Lines(invoices[0]));
        Assert.Equal((11.61m, 2.44m, 14.05m), PlanScenario.Totals(invoices[0]));
        foreach (var month in invoices.Skip(1))
        {
            Assert.Equal([("Screens", 3m, 10.00m, 30.00m)], PlanScenario.Lines(month));
            Assert.Equal((30.00m, 6.30m, 36.30m), PlanScenario.Totals(month));
        }

        Assert.Equal(("2025-12-01", "2025-12-31"), PlanScenario.Period(invoices[^1]));
        // Test-clock invoices are numbered in their own series; the real one has not moved.
        Assert.All(invoices, i => Assert.StartsWith("TEST-", i.GetProperty("number").GetString(), StringComparison.Ordinal));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM invoices WHERE number LIKE 'INV-%'"));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE shop_id = '{shopId}' AND is_current = TRUE AND period_start = '2026-01-01'"));
        // No reminder: the shop closes when its clock moves, never on the silo's time.
        Assert.Null(await silo.Services.GetRequiredService<IReminderTable>().ReadRow(GrainId.Create("shop", shopId), ShopGrain.CloseReminder));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ConsumesOnAClockAreStampedAtTheClocksInstantAndBilledInItsPeriod(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null);
        var marchTenth = new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);
        var clockId = await TestClockScenario.ClockAsync(silo, marchTenth);
        var (customerId, shopId, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam", testClock: clockId);

        await BillingScenario.ConsumeAsync(silo, key, 3);
        await TestClockScenario.AdvanceAsync(silo, clockId, new DateTimeOffset(2026, 4, 1, 12, 0, 0, TimeSpan.Zero));
        await BillingScenario.ConsumeAsync(silo, key, 2);

        Assert.Equal(clockId, (await silo.GetAsync(silo.Admin, $"/api/v1/admin/customers/{customerId}")).GetProperty("test_clock").GetString());
        Assert.Equal(3, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM usage_events WHERE shop_id = '{shopId}' AND occurred_at_ms = {marchTenth.ToUnixTimeMilliseconds()}"));
        var invoice = Assert.Single(await PlanScenario.InvoicesAsync(silo, key));
        Assert.Equal(("2026-03-01", "2026-03-31"), PlanScenario.Period(invoice));
        Assert.Equal([("API requests", 3m, 0.01m, 0.03m)], PlanScenario.Lines(invoice));
        // VAT 21 % of 0.03 is 0.0063, rounded half-even to 0.01.
        Assert.Equal((0.03m, 0.01m, 0.04m), PlanScenario.Totals(invoice));
        using var client = BillingScenario.Client(silo, key);
        var april = await silo.GetAsync(client, "/api/v1/usage");
        Assert.Equal(("2026-04-01", 2L), (april.GetProperty("period_start").GetString(), april.GetProperty("totals").GetProperty("requests").GetInt64()));

        // Its credit notes too are numbered in the clock's own series, so deleting the clock leaves the real one whole.
        var invoiceId = invoice.GetProperty("id").GetString()!;
        await silo.PostAsync($"/api/v1/admin/invoices/{invoiceId}/pay", new { reference = "SEPA-CLOCK" }, HttpStatusCode.OK);
        var note = await silo.PostAsync($"/api/v1/admin/invoices/{invoiceId}/refunds", new { reason = "Test refund" });
        Assert.Equal(("TEST-CN-2026-000001", 0.04m), (note.GetProperty("number").GetString(), note.GetProperty("total").GetDecimal()));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM credit_note_counters WHERE issuer NOT LIKE '% (test clocks)'"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task DeletingAClockRemovesItsCustomersAndAllTheirDataAndLeavesRealCustomersAlone(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null);
        var (standard, clockId, simulated) = await TestClockScenario.StandardOnClockAsync(silo, January20);
        var real = await TestClockScenario.CustomerAsync(silo, clockId: null, standard, seats: 2, name: "Real Inc");
        await TestClockScenario.AdvanceAsync(silo, clockId, new DateTimeOffset(2025, 4, 15, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(3, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM invoices WHERE customer_id = '{simulated.CustomerId}'"));

        var deleted = await TestClockScenario.DeleteAsync(silo, clockId);

        Assert.Equal((true, 1), (deleted.GetProperty("deleted").GetBoolean(), deleted.GetProperty("customers_deleted").GetInt32()));
        await silo.GetAsync(silo.Admin, $"/api/v1/admin/test-clocks/{clockId}", HttpStatusCode.NotFound);
        await silo.GetAsync(silo.Admin, $"/api/v1/admin/customers/{simulated.CustomerId}", HttpStatusCode.NotFound);
        using var client = BillingScenario.Client(silo, simulated.Key);
        await silo.GetAsync(client, "/api/v1/billing/invoices", HttpStatusCode.Unauthorized);
        foreach (var (table, condition) in global::Billing.Silo.Privacy.CustomerRows.Tables.Where(t => t.Table != "audit_log"))
        {
            var sql = $"SELECT COUNT(*) FROM {table} WHERE {condition.Replace("@customer_id", $"'{simulated.CustomerId}'", StringComparison.Ordinal)}";
            Assert.True(await BillingScenario.CountAsync(silo, sql) == 0, $"{table} still holds rows of the deleted customer");
        }

        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM test_clocks"));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM shops WHERE id = '{real.ShopId}'"));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE shop_id = '{real.ShopId}' AND is_current = TRUE"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task BillingRunsAndAnalyticsLeaveTestClockCustomersOutUnlessAsked(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null);
        var (standard, clockId, simulated) = await TestClockScenario.StandardOnClockAsync(silo, new DateTimeOffset(2026, 9, 20, 16, 0, 0, TimeSpan.Zero));
        await TestClockScenario.CustomerAsync(silo, clockId: null, standard, seats: 1, name: "Real Inc");
        await TestClockScenario.AdvanceAsync(silo, clockId, new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero));
        var october = (await PlanScenario.InvoicesAsync(silo, simulated.Key))[1];

        var run = await BillingScenario.RunAsync(silo, new { period = "2026-10" });
        var revenue = await silo.GetAsync(silo.Admin, "/api/v1/admin/analytics/revenue?from=2026-11&to=2026-11");
        var revenueAll = await silo.GetAsync(silo.Admin, "/api/v1/admin/analytics/revenue?from=2026-11&to=2026-11&include_test_clocks=true");
        var mrr = await silo.GetAsync(silo.Admin, "/api/v1/admin/analytics/mrr?from=2026-11&to=2026-11");
        var mrrAll = await silo.GetAsync(silo.Admin, "/api/v1/admin/analytics/mrr?from=2026-11&to=2026-11&include_test_clocks=true");

        Assert.Equal(1L, run.GetProperty("shops_total").GetInt64());
        Assert.Equal(2, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM invoices WHERE customer_id = '{simulated.CustomerId}'"));
        Assert.Empty(revenue.GetProperty("months")[0].GetProperty("currencies").EnumerateArray());
        var invoiced = Assert.Single(revenueAll.GetProperty("months")[0].GetProperty("currencies").EnumerateArray()).GetProperty("invoiced");
        Assert.Equal((1L, 30.00m, 6.30m, 36.30m), (invoiced.GetProperty("count").GetInt64(), invoiced.GetProperty("subtotal").GetDecimal(), invoiced.GetProperty("vat").GetDecimal(), invoiced.GetProperty("total").GetDecimal()));
        Assert.Equal((30.00m, 6.30m, 36.30m), PlanScenario.Totals(october));
        // November: the real customer's 1 seat (10.00); with the clock's 3 seats, 40.00.
        Assert.Equal(10.00m, Assert.Single(mrr.GetProperty("months")[0].GetProperty("currencies").EnumerateArray()).GetProperty("mrr").GetDecimal());
        Assert.Equal(40.00m, Assert.Single(mrrAll.GetProperty("months")[0].GetProperty("currencies").EnumerateArray()).GetProperty("mrr").GetDecimal());
    }

    [Fact]
    public async Task StatusIsAdvancingWhileTheAdvanceRunsAndAnotherAdvanceOrADeleteIsRefused()
    {
        await using var database = await TestDatabase.CreateAsync(StorageOptions.Postgres);
        await using var silo = CatalogSilo.Start(database, configure: null);
        var (_, clockId, _) = await TestClockScenario.StandardOnClockAsync(silo, January20);
        var locked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Closes write billing_periods: while another transaction holds it, the advance waits at its first close.
        var holder = silo.Services.GetRequiredService<SqlDatabase>().WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var command = connection.CreateCommand("LOCK TABLE billing_periods IN EXCLUSIVE MODE", transaction);
                await command.ExecuteNonQueryAsync(ct);
                locked.SetResult();
                await release.Task;
                await transaction.CommitAsync(ct);
                return 0;
            },
            CancellationToken.None);
        await locked.Task;

        var accepted = await silo.PostAsync($"/api/v1/admin/test-clocks/{clockId}/advance", new { to = NewYear2026 }, HttpStatusCode.Accepted);
        var advancing = default(System.Text.Json.JsonElement);
        await Eventually.TrueAsync(
            async () =>
            {
                advancing = await silo.GetAsync(silo.Admin, $"/api/v1/admin/test-clocks/{clockId}");
                return advancing.GetProperty("frozen_time").GetDateTimeOffset() > January20;
            },
            "the advance reaches its first close");
        var again = await silo.PostAsync($"/api/v1/admin/test-clocks/{clockId}/advance", new { to = NewYear2026.AddDays(1) }, HttpStatusCode.Conflict);
        var delete = await TestClockScenario.DeleteAsync(silo, clockId, HttpStatusCode.Conflict);
        release.SetResult();
        await holder;
        var ready = await TestClockScenario.ReadyAsync(silo, clockId);

        Assert.Equal(("advancing", NewYear2026), (accepted.GetProperty("status").GetString(), accepted.GetProperty("advancing_to").GetDateTimeOffset()));
        // The first event: January's end at local midnight (05:00 UTC) plus the hour's grace.
        Assert.Equal(("advancing", new DateTimeOffset(2025, 2, 1, 6, 0, 0, TimeSpan.Zero)), (advancing.GetProperty("status").GetString(), advancing.GetProperty("frozen_time").GetDateTimeOffset()));
        Assert.Equal("test_clock_advancing", again.GetProperty("code").GetString());
        Assert.Equal("test_clock_advancing", delete.GetProperty("code").GetString());
        Assert.Equal((NewYear2026, 1), (ready.GetProperty("frozen_time").GetDateTimeOffset(), ready.GetProperty("customers").GetInt32()));
        Assert.Equal(JsonValueKindNull, ready.GetProperty("advancing_to").ValueKind);
        Assert.Equal(12, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM invoices"));
    }

    [Fact]
    public async Task AnAdvanceBackwardsTooFarOrWithTooManyClosesIsRefusedBeforeItStarts()
    {
        await using var database = await TestDatabase.CreateAsync(StorageOptions.Sqlite);
        var settings = new Dictionary<string, string> { ["Billing:TestClocks:MaxEventsPerAdvance"] = "10" };
        await using var silo = CatalogSilo.Start(database, configure: null, CatalogSilo.DefaultNow, settings);
        var (_, clockId, _) = await TestClockScenario.StandardOnClockAsync(silo, January20);
        var path = $"/api/v1/admin/test-clocks/{clockId}/advance";

        var backwards = await silo.PostAsync(path, new { to = January20 }, HttpStatusCode.BadRequest);
        var tooFar = await silo.PostAsync(path, new { to = January20.AddDays(1_828) }, HttpStatusCode.BadRequest);
        var tooMany = await silo.PostAsync(path, new { to = January20.AddDays(90) }, (HttpStatusCode)422);
        var unknown = await silo.PostAsync("/api/v1/admin/test-clocks/clock_00000000000000000000/advance", new { to = NewYear2026 }, HttpStatusCode.NotFound);
        var noClock = await silo.PostAsync("/api/v1/admin/customers", new { name = "Acme", email = "billing@acme.com", test_clock = "clock_00000000000000000000" }, HttpStatusCode.NotFound);

        Assert.Equal(["invalid_advance", "invalid_advance", "advance_too_many_events", "test_clock_not_found", "test_clock_not_found"],
            new[] { backwards, tooFar, tooMany, unknown, noClock }.Select(p => p.GetProperty("code").GetString()));
        var clock = await silo.GetAsync(silo.Admin, $"/api/v1/admin/test-clocks/{clockId}");
        Assert.Equal(("ready", January20), (clock.GetProperty("status").GetString(), clock.GetProperty("frozen_time").GetDateTimeOffset()));
        var list = await silo.GetAsync(silo.Admin, "/api/v1/admin/test-clocks");
        Assert.Equal(clockId, Assert.Single(list.GetProperty("test_clocks").EnumerateArray()).GetProperty("id").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
