using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Domain;
using Billing.Testing;
using Billing.Silo.Invoicing;
using Billing.Silo.Tests.Catalog;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Billing.Silo.Tests.Closing;

/// <summary>
/// Revenue-share plans end to end: sales reported over the API, screened by the fraud rules and
/// billed once at the month-end close; late sales on the next invoice; on both dialects.
/// </summary>
public sealed class RevenueShareTests
{
    private static readonly DateTimeOffset MidNovember = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NovemberClosed = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task InvoiceBillsTheExactShareOfTheRevenueTheFraudRulesCountAndDuplicatesOnce(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: MidNovember);
        var (shopId, client) = await RevenueShareShopAsync(silo);

        var first = await ReportAsync(silo, client,
            new { order_id = "o-1", amount = 100.00m },
            new { order_id = "o-2", amount = 250.50m, currency = "EUR", occurred_at = "2026-11-02T10:00:00+01:00", customer_fingerprint = "fp-1" },
            new { order_id = "o-3", amount = 80m, flags = new[] { "refunded" } },
            new { order_id = "o-4", amount = 40m, flags = new[] { "test_order" } },
            new { order_id = "o-5", amount = 1500m },
            new { order_id = "o-6", amount = 19.99m },
            new { order_id = "o-1", amount = 100.00m },
            new { order_id = "o-2", amount = 999m });
        var second = await ReportAsync(silo, client, new { order_id = "o-6", amount = 19.99m, flags = new[] { "refunded" } }, new { order_id = "o-1", amount = 100.0m });

        Assert.Equal((6, 0, 1, 1), Counts(first));
        Assert.Equal([201, 201, 201, 201, 201, 201, 200, 422], Statuses(first));
        Assert.Equal(("duplicate", "order_amount_conflict"), (first.GetProperty("results")[6].GetProperty("outcome").GetString(), first.GetProperty("results")[7].GetProperty("code").GetString()));
        Assert.Equal((0, 1, 1, 0), Counts(second));
        await BillingScenario.AdvanceAndTickAsync(silo, NovemberClosed);

        var invoice = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray());
        var line = Assert.Single(invoice.GetProperty("lines").EnumerateArray());
        // o-1 and o-2 count; o-3 refunded, o-4 a test, o-5 above the 1000 cap, o-6 refunded later. 5 % of 350.50 = 17.525 → 17.52 (half-even).
        Assert.Equal((350.50m, 0.05m, 17.52m), (line.GetProperty("quantity").GetDecimal(), line.GetProperty("unit_price").GetDecimal(), line.GetProperty("amount").GetDecimal()));
        Assert.Equal("Revenue share: 5% of EUR 350.50 (4 events excluded)", line.GetProperty("service").GetString());
        Assert.Equal((17.52m, 3.68m, 21.20m), (invoice.GetProperty("subtotal").GetDecimal(), invoice.GetProperty("vat").GetDecimal(), invoice.GetProperty("total").GetDecimal()));
        Assert.Equal(6, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM revenue_events WHERE shop_id = '{shopId}' AND billed_invoice_id = '{invoice.GetProperty("id").GetString()}'"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task InvalidSalesAreRejectedOneByOneWithFieldErrors(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: MidNovember);
        var (shopId, client) = await RevenueShareShopAsync(silo);

        var batch = await ReportAsync(silo, client,
            new { amount = 5m },
            new { order_id = "x-1", amount = -5m },
            new { order_id = "x-2", amount = 1.234m },
            new { order_id = "x-3", amount = 5m, currency = "USD" },
            new { order_id = "x-4", amount = 5m, occurred_at = "2026-11-21T12:06:00Z" },
            new { order_id = "x-5", amount = 5m, occurred_at = "2026-09-19T11:59:00Z" },
            new { order_id = "x-6", amount = 5m, flags = new[] { "chargeback" } },
            null,
            new { order_id = "ok-1", amount = 5m, occurred_at = "2026-11-21T12:04:00Z" });
        var empty = await silo.PostRawAsync(client, "/api/v1/usage/revenue", """{"events":[]}""", "application/json", HttpStatusCode.BadRequest);
        var tooMany = await silo.PostRawAsync(
            client, "/api/v1/usage/revenue", JsonSerializer.Serialize(new { events = Enumerable.Range(0, 1001).Select(i => new { order_id = $"o-{i}", amount = 1m }) }),
            "application/json", HttpStatusCode.BadRequest);

        Assert.Equal((1, 0, 0, 8), Counts(batch));
        var results = batch.GetProperty("results").EnumerateArray().ToList();
        Assert.All(results.Take(8), r => Assert.Equal((400, "invalid_revenue_event"), (r.GetProperty("status").GetInt32(), r.GetProperty("code").GetString())));
        string[] fields = ["order_id", "amount", "amount", "currency", "occurred_at", "occurred_at", "flags", "event"];
        Assert.Equal(fields, results.Take(8).Select(r => Assert.Single(r.GetProperty("errors").EnumerateObject()).Name));
        Assert.Equal("occurred_at may be at most 62 days in the past", results[5].GetProperty("errors").GetProperty("occurred_at")[0].GetString());
        Assert.Equal(("invalid_revenue_batch", "invalid_revenue_batch"), (empty.GetProperty("code").GetString(), tooMany.GetProperty("code").GetString()));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM revenue_events WHERE shop_id = '{shopId}'"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task SalesReportedAfterTheirPeriodWasInvoicedComeOnTheNextInvoiceAndARefundOfAnInvoicedOrderIsCreditedThereOnce(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: MidNovember);
        var (shopId, client) = await RevenueShareShopAsync(silo);
        await RecordAsync(silo, client, new { order_id = "o-1", amount = 100m }, new { order_id = "o-2", amount = 20m }, new { order_id = "o-big", amount = 1500m });
        await BillingScenario.AdvanceAndTickAsync(silo, NovemberClosed);

        var afterClose = await ReportAsync(silo, client,
            new { order_id = "o-late", amount = 60m, occurred_at = "2026-11-30T20:00:00Z" },
            new { order_id = "o-dec", amount = 40m },
            new { order_id = "o-1", amount = 100m, flags = new[] { "refunded" } },
            new { order_id = "o-1", amount = 100m },
            new { order_id = "o-2", amount = 20m, flags = new[] { "test_order" } },
            new { order_id = "o-big", amount = 1500m, flags = new[] { "refunded" } });
        var again = await ReportAsync(silo, client, new { order_id = "o-1", amount = 100m, flags = new[] { "refunded" } });
        await BillingScenario.AdvanceAndTickAsync(silo, new DateTimeOffset(2027, 1, 1, 1, 0, 0, TimeSpan.Zero));

        Assert.Equal([201, 201, 200, 200, 409, 200], Statuses(afterClose));
        var results = afterClose.GetProperty("results");
        Assert.Equal(("credited", "duplicate", "order_already_invoiced", "credited"), (Outcome(results[2]), Outcome(results[3]), results[4].GetProperty("code").GetString(), Outcome(results[5])));
        Assert.Equal(2, afterClose.GetProperty("credited").GetInt32());
        Assert.Equal(("duplicate", 0), (Outcome(again.GetProperty("results")[0]), again.GetProperty("credited").GetInt32()));
        var invoices = (await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices");
        // This failed once in CI (one invoice, not two) and never since: if it comes back, say what the shop's close recorded.
        Assert.True(invoices.GetArrayLength() == 2, $"{invoices.GetArrayLength()} invoice(s); the shop's billing: {await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shopId}/billing")}");
        Assert.Equal([("Revenue share: 5% of EUR 120.00 (1 event excluded)", 6.00m)], Lines(invoices[1]));
        // o-1's 5 % is credited once; o-big (above the cap) earned nothing and gets nothing back. 2.00 + 3.00 - 5.00 = 0.00.
        Assert.Equal(
            [("Revenue share: 5% of EUR 40.00", 2.00m), ("Late revenue: Revenue share: 5% of EUR 60.00", 3.00m), ("Refunded order o-1: Revenue share: 5% of EUR 100.00", -5.00m)],
            Lines(invoices[0]));
        Assert.Equal((0.00m, 0.00m, 0.00m), (invoices[0].GetProperty("subtotal").GetDecimal(), invoices[0].GetProperty("vat").GetDecimal(), invoices[0].GetProperty("total").GetDecimal()));
    }

    private static string? Outcome(JsonElement result) => result.GetProperty("outcome").GetString();

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task SaleFlaggedOrCommittedLateInsideWhatACloseClaimedRollsTheCloseBackAndTheRetryBillsIt(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: MidNovember, BillingScenario.RunsOnly); // closes by hand and by runs
        var (shopId, client) = await RevenueShareShopAsync(silo);
        await RecordAsync(silo, client, new { order_id = "o-1", amount = 100m }, new { order_id = "o-2", amount = 50m, occurred_at = "2026-11-20T23:00:00Z" });
        silo.Time.Advance(NovemberClosed - silo.Time.GetUtcNow());

        var flagged = await PrepareCloseAsync(silo, shopId);
        await RecordAsync(silo, client, new { order_id = "o-2", amount = 50m, flags = new[] { "refunded" } });
        await Assert.ThrowsAsync<ConcurrentCloseException>(() => IssueAsync(silo, shopId, flagged));
        var overtaken = await PrepareCloseAsync(silo, shopId);
        await InsertCommittedLateAsync(silo, dialect, shopId); // numbered before the sales the close read, committed after
        await Assert.ThrowsAsync<ConcurrentCloseException>(() => IssueAsync(silo, shopId, overtaken));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM invoices"));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM revenue_events WHERE billed_invoice_id IS NOT NULL"));

        var dry = await BillingScenario.RunAsync(silo, new { period = "2026-11", dry_run = true });
        var run = await BillingScenario.RunAsync(silo, new { period = "2026-11" });

        // o-0 and o-1 count, o-2 was refunded: 5 % of 110.00 = 5.50, VAT 1.155 → 1.16 (half-even).
        Assert.Equal(6.66m, dry.GetProperty("results")[0].GetProperty("invoices")[0].GetProperty("total").GetDecimal());
        Assert.Equal(1, run.GetProperty("invoices_issued").GetInt64());
        var invoice = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray());
        Assert.Equal([("Revenue share: 5% of EUR 110.00 (1 event excluded)", 5.50m)], Lines(invoice));
        Assert.Equal(3, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM revenue_events WHERE billed_invoice_id IS NOT NULL"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task SaleRecordedAfterACloseReadTheRevenueWaitsForTheNextInvoice(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: MidNovember, BillingScenario.RunsOnly); // closes by hand and by runs
        var (shopId, client) = await RevenueShareShopAsync(silo);
        await RecordAsync(silo, client, new { order_id = "o-1", amount = 100m });
        silo.Time.Advance(NovemberClosed - silo.Time.GetUtcNow());

        var close = await PrepareCloseAsync(silo, shopId);
        await RecordAsync(silo, client, new { order_id = "o-3", amount = 10m, occurred_at = "2026-11-30T23:30:00Z" });
        await IssueAsync(silo, shopId, close);
        silo.Time.Advance(TimeSpan.FromDays(31));
        await BillingScenario.RunAsync(silo, new { period = "2026-12" });

        var invoices = (await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices");
        Assert.Equal([("Revenue share: 5% of EUR 100.00", 5.00m)], Lines(invoices[1]));
        Assert.Equal([("Revenue share: 5% of EUR 0.00", 0.00m), ("Late revenue: Revenue share: 5% of EUR 10.00", 0.50m)], Lines(invoices[0]));
    }

    private static Task InsertCommittedLateAsync(CatalogSilo silo, string dialect, string shopId) =>
        BillingScenario.ExecuteAsync(silo, $"""
            INSERT INTO revenue_events (seq, shop_id, order_id, amount_minor, currency, occurred_at_ms, flags, recorded_at_ms)
            {(dialect == StorageOptions.Postgres ? "OVERRIDING SYSTEM VALUE" : "")}
            VALUES (0, '{shopId}', 'o-0', 1000, 'EUR', {new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()}, 0, 0)
            """);

    /// <summary>A shop in UTC whose price plan (made in the store: the plan API is not this test's) shares 5 % of revenue, sales above 1000 excluded.</summary>
    private static async Task<(string ShopId, HttpClient Client)> RevenueShareShopAsync(CatalogSilo silo)
    {
        var (_, shopId, key) = await BillingScenario.CustomerAsync(silo, "UTC");
        var draft = new PricePlanDraft(
            "Revenue share", "EUR", [new ChargeDraft("revenue_share", "Revenue share", Percentage: 0.05m, FraudRules: new FraudRulesDraft(MaxEventAmount: 1000m))]);
        Assert.True(PricePlan.TryCreate(CatalogIds.New(CatalogIds.PricePlan), draft, out var plan, out var errors), string.Join("; ", errors));
        await silo.Services.GetRequiredService<PricePlanStore>().CreateAsync(plan, draft, CancellationToken.None);
        await BillingScenario.ExecuteAsync(silo, $"""
            INSERT INTO shop_billing (shop_id, price_plan_id, cycle, seats, updated_at_ms)
            VALUES ('{shopId}', '{plan.Id}', 'monthly', 1, {silo.Time.GetUtcNow().ToUnixTimeMilliseconds()})
            """);
        return (shopId, BillingScenario.Client(silo, key));
    }

    /// <summary>Reports sales that must all be accepted.</summary>
    private static async Task RecordAsync(CatalogSilo silo, HttpClient client, params object?[] events)
    {
        var batch = await ReportAsync(silo, client, events);
        Assert.True(batch.GetProperty("rejected").GetInt32() == 0, batch.ToString());
    }

    private static async Task<JsonElement> ReportAsync(CatalogSilo silo, HttpClient client, params object?[] events)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/usage/revenue", new { events });
        return await CatalogSilo.ReadAsync(response, HttpStatusCode.OK);
    }

    private static async Task<PeriodClose> PrepareCloseAsync(CatalogSilo silo, string shopId)
    {
        var periods = silo.Services.GetRequiredService<ShopPeriods>();
        var terms = await periods.TermsAsync(shopId, CancellationToken.None);
        var open = await periods.EnsureOpenPeriodAsync(terms, CancellationToken.None);
        var now = Instant.FromDateTimeOffset(silo.Time.GetUtcNow());
        return await silo.Services.GetRequiredService<PeriodPricer>().PrepareAsync(terms, new Walk(open, 0, null), now, CancellationToken.None);
    }

    private static Task IssueAsync(CatalogSilo silo, string shopId, PeriodClose close) =>
        silo.Services.GetRequiredService<InvoiceBook>().IssueAsync(shopId, close, silo.Time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);

    private static (int Recorded, int Updated, int Duplicates, int Rejected) Counts(JsonElement batch) =>
        (batch.GetProperty("recorded").GetInt32(), batch.GetProperty("updated").GetInt32(), batch.GetProperty("duplicates").GetInt32(), batch.GetProperty("rejected").GetInt32());

    private static int[] Statuses(JsonElement batch) => [.. batch.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetInt32())];

    private static (string?, decimal)[] Lines(JsonElement invoice) =>
        [.. invoice.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("service").GetString(), l.GetProperty("amount").GetDecimal()))];
}
