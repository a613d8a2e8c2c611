using Billing.Silo.Grains;
using System.Net;
using System.Text.Json;
using Billing.Silo.Metering;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;

namespace Billing.Silo.Tests.Closing;

/// <summary>The month-end reminder closes a period and issues its one invoice, on both dialects, on a manual clock.</summary>
public sealed class MonthEndCloseTests
{
    // 23:00 local on 30 November in Amsterdam (UTC+1): an hour before the month ends there.
    private static readonly DateTimeOffset BeforeMonthEnd = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task UsageAcrossMonthEndLandsInTheCustomersLocalMonths(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");

        silo.Time.Advance(TimeSpan.FromMinutes(30));        // 23:30 on 30 November, local
        await BillingScenario.ConsumeAsync(silo, key, 3);
        silo.Time.Advance(TimeSpan.FromHours(1));           // 00:30 on 1 December, local (still 30 November in UTC)
        await BillingScenario.ConsumeAsync(silo, key, 2);
        await BillingScenario.AdvanceAndTickAsync(silo, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)); // 01:00 local: end + 1 h grace

        using var client = BillingScenario.Client(silo, key);
        var invoice = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray());
        Assert.Equal("INV-2026-000001", invoice.GetProperty("number").GetString());
        Assert.Equal(("2026-11-01", "2026-11-30"), (invoice.GetProperty("period_start").GetString(), invoice.GetProperty("period_end").GetString()));
        var line = Assert.Single(invoice.GetProperty("lines").EnumerateArray());
        Assert.Equal(("API requests", 3m, 0.01m, 0.03m), (line.GetProperty("service").GetString(), line.GetProperty("quantity").GetDecimal(), line.GetProperty("unit_price").GetDecimal(), line.GetProperty("amount").GetDecimal()));
        // VAT 21 % of 0.03 is 0.0063, rounded half-even to 0.01.
        Assert.Equal((0.03m, 0.01m, 0.04m), (invoice.GetProperty("subtotal").GetDecimal(), invoice.GetProperty("vat").GetDecimal(), invoice.GetProperty("total").GetDecimal()));
        Assert.Equal("2026-12-15", invoice.GetProperty("due_date").GetString());

        var december = await silo.GetAsync(client, "/api/v1/usage");
        Assert.Equal("2026-12-01", december.GetProperty("period_start").GetString());
        Assert.Equal(2, december.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.Equal(1, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM billing_periods WHERE is_current = TRUE AND period_start = '2026-12-01'"));
        Assert.Equal(3, await BillingScenario.CountAsync(silo, "SELECT requests FROM billing_periods WHERE period_start = '2026-11-01'"));
    }

    /// <summary>
    /// Orleans reminders know nothing of calendars: each tick is the open period's end at local
    /// midnight plus the grace, re-registered after the close, across a DST change in either
    /// hemisphere (Auckland goes to UTC+13 on 27 September, Amsterdam back to UTC+1 on 25 October).
    /// </summary>
    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task MonthEndRemindersFollowEachCustomersLocalMidnightAcrossDaylightSavingChanges(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: new DateTimeOffset(2026, 9, 20, 12, 0, 0, TimeSpan.Zero));
        var auckland = await BillingScenario.CustomerAsync(silo, "Pacific/Auckland", "Kiwi");
        var amsterdam = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam", "Dutch");
        var septemberDue = (await BillingScenario.CloseReminderDueAsync(silo, auckland.ShopId), await BillingScenario.CloseReminderDueAsync(silo, amsterdam.ShopId));

        await BillingScenario.AdvanceAndTickAsync(silo, new DateTimeOffset(2026, 9, 30, 12, 0, 0, TimeSpan.Zero));
        var aucklandOctoberDue = await BillingScenario.CloseReminderDueAsync(silo, auckland.ShopId);
        var invoicesWhileAmsterdamIsOpen = await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM invoices");
        await BillingScenario.AdvanceAndTickAsync(silo, new DateTimeOffset(2026, 9, 30, 23, 0, 0, TimeSpan.Zero));
        var amsterdamOctoberDue = await BillingScenario.CloseReminderDueAsync(silo, amsterdam.ShopId);

        // 1 October 00:00 NZDT (UTC+13) + 1 h = 30 September 12:00 UTC; 00:00 CEST (UTC+2) + 1 h = 23:00 UTC.
        Assert.Equal((new DateTimeOffset(2026, 9, 30, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 9, 30, 23, 0, 0, TimeSpan.Zero)), septemberDue);
        Assert.Equal(1, invoicesWhileAmsterdamIsOpen); // Auckland's only
        // 1 November 00:00 NZDT + 1 h = 31 October 12:00 UTC; 00:00 CET (UTC+1, after the change) + 1 h = 1 November 00:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero), aucklandOctoberDue);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), amsterdamOctoberDue);
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM invoices WHERE shop_id = '{auckland.ShopId}' AND period_start = '2026-09-01'"));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM invoices WHERE shop_id = '{amsterdam.ShopId}' AND period_start = '2026-09-01'"));
    }

    /// <summary>
    /// Orleans skips a tick that fell due while no silo ran. The reminder's one-minute period brings
    /// the next tick within a minute of the restart, and that tick closes the missed month, once.
    /// </summary>
    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task MonthEndMissedWhileNoSiloRanClosesOnceWithinAMinuteOfTheRestart(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        string shopId;
        await using (var before = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd))
        {
            var customer = await BillingScenario.CustomerAsync(before, "Europe/Amsterdam");
            shopId = customer.ShopId;
            await BillingScenario.ConsumeAsync(before, customer.Key, 2);
        }

        // Back two days after the month was due (1 December 00:00 UTC).
        var restartedAt = new DateTimeOffset(2026, 12, 3, 9, 30, 20, TimeSpan.Zero);
        await using var after = CatalogSilo.Start(database, configure: null, now: restartedAt);
        await after.GetAsync(after.Admin, $"/api/v1/admin/shops/{shopId}/billing"); // the silo is up
        var invoicesAtRestart = await BillingScenario.CountAsync(after, "SELECT COUNT(*) FROM invoices");
        await BillingScenario.AdvanceAndTickAsync(after, restartedAt + ShopGrain.CloseRetryPeriod);
        await BillingScenario.AdvanceAndTickAsync(after, restartedAt + TimeSpan.FromHours(1));

        Assert.Equal(0, invoicesAtRestart);
        Assert.Equal(["INV-2026-000001"], await BillingScenario.InvoiceNumbersAsync(after));
        Assert.Equal(2, await BillingScenario.CountAsync(after, $"SELECT requests FROM billing_periods WHERE shop_id = '{shopId}' AND period_start = '2026-11-01'"));
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), BillingScenario.WholeSecond(await BillingScenario.CloseReminderDueAsync(after, shopId)));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task NothingClosesBeforeTheGraceForLateEventsHasPassed(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var (_, shopId, _) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");

        var beforeGrace = await silo.PostAsync(
            $"/api/billing-scheduler/process-shop-billing/{shopId}", new { period = "2026-11" }, HttpStatusCode.OK);
        await BillingScenario.AdvanceAndTickAsync(silo, new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero)); // 00:59 local

        Assert.Equal("not_due", beforeGrace.GetProperty("results")[0].GetProperty("status").GetString());
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM invoices"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task RerunAndCrashMidCloseLeaveOneInvoicePerShopAndNoGapInNumbers(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var first = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam", "First");
        var crashing = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam", "Crashing");
        await BillingScenario.ConsumeAsync(silo, first.Key, 1);
        await BillingScenario.ConsumeAsync(silo, crashing.Key, 2);
        await BillingScenario.InjectCrashBeforeInvoiceInsertAsync(silo, dialect, crashing.ShopId);

        // The crash comes after the period was frozen and the number counter moved, inside the closing transaction.
        await BillingScenario.AdvanceAndTickAsync(silo, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(["INV-2026-000001"], await BillingScenario.InvoiceNumbersAsync(silo));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE shop_id = '{crashing.ShopId}' AND is_current = TRUE AND period_start = '2026-11-01'"));

        await BillingScenario.ExecuteAsync(silo, "DELETE FROM injected_faults");
        var rerun = await BillingScenario.RunAsync(silo, new { period = "2026-11" });
        var again = await BillingScenario.RunAsync(silo, new { period = "2026-11" });

        Assert.Equal((1L, 1L), (rerun.GetProperty("invoices_issued").GetInt64(), rerun.GetProperty("invoices_existing").GetInt64()));
        Assert.Equal((0L, 2L), (again.GetProperty("invoices_issued").GetInt64(), again.GetProperty("invoices_existing").GetInt64()));
        Assert.Equal(["INV-2026-000001", "INV-2026-000002"], await BillingScenario.InvoiceNumbersAsync(silo));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM invoices WHERE shop_id = '{crashing.ShopId}'"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task DryRunPricesEveryShopAndWritesNothing(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd, BillingScenario.RunsOnly); // bills through the run alone
        var shop = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        await BillingScenario.ConsumeAsync(silo, shop.Key, 4);
        silo.Time.Advance(TimeSpan.FromHours(3));
        var before = await TableCountsAsync(silo);

        var dry = await BillingScenario.RunAsync(silo, new { period = "2026-11", dry_run = true });

        Assert.Equal(before, await TableCountsAsync(silo));
        var result = Assert.Single(dry.GetProperty("results").EnumerateArray());
        Assert.Equal("would_invoice", result.GetProperty("status").GetString());
        var invoice = Assert.Single(result.GetProperty("invoices").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("number").ValueKind);
        Assert.Equal(0.05m, invoice.GetProperty("total").GetDecimal()); // 4 × 0.01 + 0.0084 VAT → 0.01
        Assert.Equal(1, dry.GetProperty("invoices_issued").GetInt64());
    }

    private static async Task<string> TableCountsAsync(CatalogSilo silo)
    {
        var counts = new List<long>();
        foreach (var table in new[] { "invoices", "billing_periods", "invoice_counters", "pending_invoice_lines", "shop_billing" })
        {
            counts.Add(await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM {table}"));
        }

        counts.Add(await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM billing_periods WHERE is_current = TRUE"));
        return string.Join(",", counts);
    }
}
