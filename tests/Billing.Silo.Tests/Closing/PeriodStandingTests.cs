using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Testing;
using Billing.Silo.Tests.Catalog;

namespace Billing.Silo.Tests.Closing;

/// <summary>
/// Where invoiced periods stand (pending, overdue with its days, paid, waived), derived from the
/// clock on read and changed through the admin API, on both dialects and a manual clock.
/// </summary>
public sealed class PeriodStandingTests
{
    // 23:00 local on 30 November in Amsterdam (UTC+1); the period closes at 01:00 local on 1 December.
    private static readonly DateTimeOffset BeforeMonthEnd = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AfterClose = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task InvoicedPeriodIsPendingUntilItsDueDateEndsLocallyThenOverdueByWholeDays(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var shop = await InvoicedNovemberAsync(silo);
        using var client = BillingScenario.Client(silo, shop.Key);

        var periods = (await silo.GetAsync(client, "/api/v1/billing/periods")).GetProperty("periods");
        Assert.Equal(2, periods.GetArrayLength());
        var (december, november) = (periods[0], periods[1]);
        Assert.Equal(("2026-12-01", "2026-12-31", true, "pending"), (december.GetProperty("period_start").GetString(), december.GetProperty("period_end").GetString(), december.GetProperty("is_current").GetBoolean(), december.GetProperty("status").GetString()));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null), (december.GetProperty("due_date").ValueKind, december.GetProperty("invoice_id").ValueKind, december.GetProperty("total").ValueKind));
        Assert.Equal(("2026-11-01", "2026-11-30", false, "pending", "2026-12-15", 0), Standing(november));
        Assert.Equal((shop.InvoiceId, "INV-2026-000001", 0.04m, "EUR"), (november.GetProperty("invoice_id").GetString(), november.GetProperty("invoice_number").GetString(), november.GetProperty("total").GetDecimal(), november.GetProperty("currency").GetString()));

        silo.Time.Advance(new DateTimeOffset(2026, 12, 15, 22, 59, 0, TimeSpan.Zero) - silo.Time.GetUtcNow()); // 23:59 on the due date, local
        Assert.Equal(("pending", 0), await NovemberStatusAsync(silo, client));
        silo.Time.Advance(TimeSpan.FromMinutes(1)); // midnight local: the 16th in Amsterdam, still the 15th in UTC
        Assert.Equal(("overdue", 1), await NovemberStatusAsync(silo, client));
        silo.Time.Advance(new DateTimeOffset(2026, 12, 25, 12, 0, 0, TimeSpan.Zero) - silo.Time.GetUtcNow());
        Assert.Equal(("overdue", 10), await NovemberStatusAsync(silo, client));

        var invoice = await silo.GetAsync(client, $"/api/v1/billing/invoices/{shop.InvoiceId}");
        Assert.Equal(("overdue", 10), (invoice.GetProperty("status").GetString(), invoice.GetProperty("days_overdue").GetInt32()));
        var listed = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray());
        Assert.Equal(("overdue", 10), (listed.GetProperty("status").GetString(), listed.GetProperty("days_overdue").GetInt32()));
        var admin = (await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shop.ShopId}/periods?limit=1")).GetProperty("periods");
        Assert.Equal(("2026-12-01", "pending"), (Assert.Single(admin.EnumerateArray()).GetProperty("period_start").GetString(), admin[0].GetProperty("status").GetString()));
        // Derived on read: no job wrote it.
        Assert.Equal(1, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM billing_periods WHERE period_start = '2026-11-01' AND status = 'pending'"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task PaymentOfAnOverdueInvoiceMarksItPaidForGoodAndRepeatsAnswerTheSame(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var shop = await InvoicedNovemberAsync(silo);
        using var client = BillingScenario.Client(silo, shop.Key);
        silo.Time.Advance(new DateTimeOffset(2026, 12, 20, 10, 0, 0, TimeSpan.Zero) - silo.Time.GetUtcNow());
        Assert.Equal(("overdue", 5), await NovemberStatusAsync(silo, client));

        var payment = new { paid_at = "2026-12-20T09:00:00Z", reference = "SEPA-4711" };
        var (paid, replayed) = await PostAsync(silo, $"/api/v1/admin/invoices/{shop.InvoiceId}/pay", payment, HttpStatusCode.OK);
        var (again, replayedAgain) = await PostAsync(silo, $"/api/v1/admin/invoices/{shop.InvoiceId}/pay", payment, HttpStatusCode.OK);
        var (otherPayment, _) = await PostAsync(silo, $"/api/v1/admin/invoices/{shop.InvoiceId}/pay", new { reference = "SEPA-9999" }, HttpStatusCode.Conflict);
        var (waiver, _) = await PostAsync(silo, $"/api/v1/admin/invoices/{shop.InvoiceId}/waive", new { reason = "Goodwill" }, HttpStatusCode.Conflict);

        Assert.Equal(("paid", 0, "SEPA-4711"), (paid.GetProperty("status").GetString(), paid.GetProperty("days_overdue").GetInt32(), paid.GetProperty("payment_reference").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 12, 20, 9, 0, 0, TimeSpan.Zero), paid.GetProperty("paid_at").GetDateTimeOffset());
        Assert.Equal((false, true), (replayed, replayedAgain));
        Assert.Equal(paid.ToString(), again.ToString());
        Assert.Equal("invalid_period_transition", otherPayment.GetProperty("code").GetString());
        Assert.Equal("A billing period cannot go from paid to paid: paid is final.", otherPayment.GetProperty("detail").GetString());
        Assert.Equal("A billing period cannot go from paid to waived: paid is final.", waiver.GetProperty("detail").GetString());
        silo.Time.Advance(TimeSpan.FromDays(100)); // a paid period never turns overdue (longer jumps fire the per-minute timers too often)
        Assert.Equal(("paid", 0), await NovemberStatusAsync(silo, client));
        var invoice = await silo.GetAsync(client, $"/api/v1/billing/invoices/{shop.InvoiceId}");
        Assert.Equal(("paid", 0), (invoice.GetProperty("status").GetString(), invoice.GetProperty("days_overdue").GetInt32()));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE invoice_id = '{shop.InvoiceId}' AND status = 'paid' AND paid_at_ms = {new DateTimeOffset(2026, 12, 20, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()} AND payment_reference = 'SEPA-4711' AND waived_reason IS NULL"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task WaiverNeedsAReasonAndStoresIt(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var shop = await InvoicedNovemberAsync(silo);
        using var client = BillingScenario.Client(silo, shop.Key);
        var path = $"/api/v1/admin/invoices/{shop.InvoiceId}/waive";

        var (blank, _) = await PostAsync(silo, path, new { reason = "  " }, HttpStatusCode.BadRequest);
        var (tooLong, _) = await PostAsync(silo, path, new { reason = new string('x', 501) }, HttpStatusCode.BadRequest);
        var (waived, replayed) = await PostAsync(silo, path, new { reason = " Beta tester " }, HttpStatusCode.OK);
        var (again, replayedAgain) = await PostAsync(silo, path, new { reason = "Beta tester" }, HttpStatusCode.OK);
        var (payment, _) = await PostAsync(silo, $"/api/v1/admin/invoices/{shop.InvoiceId}/pay", new { }, HttpStatusCode.Conflict);

        Assert.Equal(("invalid_waiver", "invalid_waiver"), (blank.GetProperty("code").GetString(), tooLong.GetProperty("code").GetString()));
        Assert.True(blank.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(("waived", "Beta tester", false, true), (waived.GetProperty("status").GetString(), waived.GetProperty("waived_reason").GetString(), replayed, replayedAgain));
        Assert.Equal(waived.ToString(), again.ToString());
        Assert.Equal("A billing period cannot go from waived to paid: waived is final.", payment.GetProperty("detail").GetString());
        silo.Time.Advance(TimeSpan.FromDays(60));
        Assert.Equal(("waived", 0), await NovemberStatusAsync(silo, client));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE invoice_id = '{shop.InvoiceId}' AND status = 'waived' AND waived_reason = 'Beta tester' AND paid_at_ms IS NULL"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task UnknownAndOtherShopsInvoicesAreNotFoundAndBadPaymentsAreRejected(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var shop = await InvoicedNovemberAsync(silo);
        var other = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam", "Other");
        using var otherClient = BillingScenario.Client(silo, other.Key);

        var foreign = await silo.GetAsync(otherClient, $"/api/v1/billing/invoices/{shop.InvoiceId}", HttpStatusCode.NotFound);
        var ownPeriods = (await silo.GetAsync(otherClient, "/api/v1/billing/periods")).GetProperty("periods");
        var (unknown, _) = await PostAsync(silo, "/api/v1/admin/invoices/inv_0000000000000000000000/pay", new { }, HttpStatusCode.NotFound);
        var unknownShop = await silo.GetAsync(silo.Admin, "/api/v1/admin/shops/shop_0000000000000000000000/periods", HttpStatusCode.NotFound);
        var badLimit = await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shop.ShopId}/periods?limit=0", HttpStatusCode.BadRequest);
        var (future, _) = await PostAsync(silo, $"/api/v1/admin/invoices/{shop.InvoiceId}/pay", new { paid_at = "2026-12-02T00:00:00Z" }, HttpStatusCode.BadRequest);
        var (malformed, _) = await PostAsync(silo, $"/api/v1/admin/invoices/{shop.InvoiceId}/pay", new { paid_at = "yesterday", reference = "" }, HttpStatusCode.BadRequest);
        using var customerPays = await otherClient.PostAsJsonAsync($"/api/v1/admin/invoices/{shop.InvoiceId}/pay", new { });

        Assert.Equal("invoice_not_found", foreign.GetProperty("code").GetString());
        Assert.Equal(other.ShopId, Assert.Single(ownPeriods.EnumerateArray()).GetProperty("shop_id").GetString());
        Assert.Equal(("invoice_not_found", "shop_not_found", "invalid_limit"), (unknown.GetProperty("code").GetString(), unknownShop.GetProperty("code").GetString(), badLimit.GetProperty("code").GetString()));
        Assert.Equal(("invalid_payment", "paid_at must not be in the future"), (future.GetProperty("code").GetString(), future.GetProperty("errors").GetProperty("paid_at")[0].GetString()));
        Assert.Equal(2, malformed.GetProperty("errors").EnumerateObject().Count());
        Assert.Equal(HttpStatusCode.Unauthorized, customerPays.StatusCode);
        Assert.Equal(1, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM billing_periods WHERE status = 'pending' AND invoice_id IS NOT NULL"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task RacingPaymentsLeaveExactlyOneOnTheRow(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var shop = await InvoicedNovemberAsync(silo);

        var payments = Enumerable.Range(1, 8).Select(i => silo.Admin.PostAsJsonAsync($"/api/v1/admin/invoices/{shop.InvoiceId}/pay", new { reference = $"R{i}" })).ToList();
        var responses = await Task.WhenAll(payments);
        var statuses = responses.Select(r => r.StatusCode).ToList();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
        var winner = $"R{statuses.IndexOf(HttpStatusCode.OK) + 1}";
        Assert.Equal(1, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM billing_periods WHERE invoice_id = '{shop.InvoiceId}' AND status = 'paid' AND payment_reference = '{winner}'"));
    }

    private static (string?, string?, bool, string?, string?, int) Standing(JsonElement period) =>
        (period.GetProperty("period_start").GetString(), period.GetProperty("period_end").GetString(), period.GetProperty("is_current").GetBoolean(),
         period.GetProperty("status").GetString(), period.GetProperty("due_date").GetString(), period.GetProperty("days_overdue").GetInt32());

    private static async Task<(string?, int)> NovemberStatusAsync(CatalogSilo silo, HttpClient client)
    {
        var november = (await silo.GetAsync(client, "/api/v1/billing/periods")).GetProperty("periods").EnumerateArray()
            .Single(p => p.GetProperty("period_start").GetString() == "2026-11-01");
        return (november.GetProperty("status").GetString(), november.GetProperty("days_overdue").GetInt32());
    }

    /// <summary>A shop with three calls in November (Amsterdam), closed and invoiced at 01:00 local on 1 December: EUR 0.04, due 15 December.</summary>
    private static async Task<(string ShopId, string Key, string InvoiceId)> InvoicedNovemberAsync(CatalogSilo silo)
    {
        var (_, shopId, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        await BillingScenario.ConsumeAsync(silo, key, 3);
        await BillingScenario.AdvanceAndTickAsync(silo, AfterClose);
        using var client = BillingScenario.Client(silo, key);
        var invoice = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray());
        return (shopId, key, invoice.GetProperty("id").GetString()!);
    }

    private static async Task<(JsonElement Body, bool Replayed)> PostAsync(CatalogSilo silo, string path, object body, HttpStatusCode expected)
    {
        using var response = await silo.Admin.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        return (await CatalogSilo.ReadAsync(response, expected), response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true"));
    }
}
