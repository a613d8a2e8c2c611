using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Silo.Audit;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Silo.Tests.Payments;
using Billing.Testing;

namespace Billing.Silo.Tests.Security;

/// <summary>The audit log: who did what to which resource, when, with before and after; append-only, paged, filtered, without secrets.</summary>
public sealed class AuditLogTests
{
    private static readonly DateTimeOffset BeforeMonthEnd = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AfterClose = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task RevokingAnOperatorKeyIsAuditedWithItsOperatorAndTheKeyBeforeAndAfter(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (aliceId, aliceKey) = await OperatorKeys.CreateAsync(silo, "Alice", "admin");
        using var alice = OperatorKeys.Client(silo, aliceKey);
        var (bobId, bobKey) = await OperatorKeys.CreateAsync(silo, "Bob", "viewer", by: alice);
        silo.Time.Advance(TimeSpan.FromMinutes(5));
        await OperatorKeys.SendAsync(alice, HttpMethod.Delete, $"/api/v1/admin/operator-keys/{bobId}", null, HttpStatusCode.NoContent);

        var page = await OperatorKeys.SendAsync(alice, HttpMethod.Get, $"/api/v1/admin/audit?resource={bobId}", null, HttpStatusCode.OK);

        var bob = $$"""{"id":"{{bobId}}","name":"Bob","role":"viewer","prefix":"{{bobKey[6..14]}}","created_at":"2026-11-21T12:00:00+00:00","revoked_at":""";
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
        var revoked = entries[0];
        Assert.Equal(
            ("2026-11-21T12:05:00+00:00", $$"""{"type":"operator","id":"{{aliceId}}","name":"Alice"}""", "OperatorKeyRevoked", "operator-keys", bobId),
            (revoked.GetProperty("at").GetString(), revoked.GetProperty("actor").GetRawText(), revoked.GetProperty("action").GetString(),
             revoked.GetProperty("resource_type").GetString(), revoked.GetProperty("resource_id").GetString()));
        Assert.Equal(bob + "null}", revoked.GetProperty("before").GetRawText());
        Assert.Equal(bob + "\"2026-11-21T12:05:00+00:00\"}", revoked.GetProperty("after").GetRawText());
        Assert.Equal(("OperatorKeyCreated", JsonValueKind.Null, bob + "null}"),
            (entries[1].GetProperty("action").GetString(), entries[1].GetProperty("before").ValueKind, entries[1].GetProperty("after").GetRawText()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AnAdminWriteIsAuditedAsTheEndpointWithItsResourceAndResponse(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        var customer = await silo.PostAsync("/api/v1/admin/customers", new { name = "Acme", email = "billing@acme.com" });
        var customerId = customer.GetProperty("id").GetString()!;
        var shop = await silo.PostAsync($"/api/v1/admin/customers/{customerId}/shops", new { name = "Web shop" });

        var page = await silo.GetAsync(silo.Admin, $"/api/v1/admin/audit?resource={customerId}");
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["CreateShop", "CreateCustomer"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal("""{"type":"operator","id":"admin_key","name":"admin key"}""", e.GetProperty("actor").GetRawText()));
        Assert.All(entries, e => Assert.Equal(("customers", customerId),
            (e.GetProperty("resource_type").GetString(), e.GetProperty("resource_id").GetString())));
        Assert.Equal(JsonValueKind.Null, entries[1].GetProperty("before").ValueKind);
        Assert.Equal(customer.GetRawText(), entries[0].GetProperty("before").GetRawText());
        Assert.Equal(customer.GetRawText(), entries[1].GetProperty("after").GetRawText());
        Assert.Equal(shop.GetRawText(), entries[0].GetProperty("after").GetRawText());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task UpdatingACustomerIsAuditedWithItsOperatorAndTheCustomerBeforeAndAfter(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var customerId = (await silo.PostAsync("/api/v1/admin/customers", new { name = "Acme", email = "billing@acme.com" })).GetProperty("id").GetString()!;
        var (operatorId, operatorKey) = await OperatorKeys.CreateAsync(silo, "Alice", "admin");
        using var alice = OperatorKeys.Client(silo, operatorKey);
        var before = await silo.GetAsync(silo.Admin, $"/api/v1/admin/customers/{customerId}");
        silo.Time.Advance(TimeSpan.FromMinutes(3));

        var after = await OperatorKeys.SendAsync(alice, HttpMethod.Patch, $"/api/v1/admin/customers/{customerId}", new { email = "finance@acme.eu", vat_rate = 0.09m }, HttpStatusCode.OK);

        var page = await silo.GetAsync(silo.Admin, $"/api/v1/admin/audit?actor={operatorId}&action=UpdateCustomer");
        var updated = Assert.Single(page.GetProperty("entries").EnumerateArray());
        Assert.Equal(
            ("2026-11-21T12:03:00+00:00", $$"""{"type":"operator","id":"{{operatorId}}","name":"Alice"}""", "customers", customerId),
            (updated.GetProperty("at").GetString(), updated.GetProperty("actor").GetRawText(), updated.GetProperty("resource_type").GetString(), updated.GetProperty("resource_id").GetString()));
        Assert.Equal(before.GetRawText(), updated.GetProperty("before").GetRawText());
        Assert.Equal(after.GetRawText(), updated.GetProperty("after").GetRawText());
        Assert.Equal(("billing@acme.com", "finance@acme.eu"), (before.GetProperty("email").GetString(), after.GetProperty("email").GetString()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ATopUpIsAuditedOnceAndItsReplayIsNot(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var plan = await silo.PostAsync("/api/v1/admin/plans", new { name = "Basic Plan", price = 15, currency = "EUR", tokens_included = 1000, duration_days = 30, is_recurring = true });
        var (customerId, _, _, _) = await silo.IssueKeyAsync();
        await silo.PostAsync($"/api/v1/admin/customers/{customerId}/subscription", new { plan_id = plan.GetProperty("id").GetString() }, HttpStatusCode.OK);
        var (operatorId, operatorKey) = await OperatorKeys.CreateAsync(silo, "Sales", "admin");
        using var sales = OperatorKeys.Client(silo, operatorKey);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/customers/{customerId}/subscription/top-ups") { Content = JsonContent.Create(new { tokens = 500 }) };
            request.Headers.Add("Idempotency-Key", "pack-0001");
            using var response = await sales.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var page = await silo.GetAsync(silo.Admin, "/api/v1/admin/audit?action=TopUpTokens");
        var topUp = Assert.Single(page.GetProperty("entries").EnumerateArray());
        Assert.Equal((operatorId, "Sales", "customers", customerId),
            (topUp.GetProperty("actor").GetProperty("id").GetString(), topUp.GetProperty("actor").GetProperty("name").GetString(),
             topUp.GetProperty("resource_type").GetString(), topUp.GetProperty("resource_id").GetString()));
        var after = topUp.GetProperty("after");
        Assert.Equal((1500L, 1500L, 0L), (after.GetProperty("tokens_granted").GetInt64(), after.GetProperty("tokens_remaining").GetInt64(), after.GetProperty("tokens_consumed").GetInt64()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AnInvoicePaymentIsAuditedInItsTransactionWithTheStandingBeforeAndAfter(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: BeforeMonthEnd);
        var (_, shopId, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam");
        await BillingScenario.ConsumeAsync(silo, key, 3);
        await BillingScenario.AdvanceAndTickAsync(silo, AfterClose);
        using var client = BillingScenario.Client(silo, key);
        var invoice = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray());
        var invoiceId = invoice.GetProperty("id").GetString()!;

        await silo.PostAsync($"/api/v1/admin/invoices/{invoiceId}/pay", new { paid_at = "2026-12-01T00:00:00Z", reference = "SEPA-4711" }, HttpStatusCode.OK);
        await silo.PostAsync($"/api/v1/admin/invoices/{invoiceId}/pay", new { paid_at = "2026-12-01T00:00:00Z", reference = "SEPA-4711" }, HttpStatusCode.OK);

        var page = await silo.GetAsync(silo.Admin, $"/api/v1/admin/audit?resource={invoiceId}");
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        var (paid, issued) = (entries[0], entries[1]);
        Assert.Equal(("InvoiceIssued", "system", AfterClose.Date),
            (issued.GetProperty("action").GetString(), issued.GetProperty("actor").GetProperty("type").GetString(), issued.GetProperty("at").GetDateTimeOffset().UtcDateTime.Date));
        Assert.Equal((0.04m, "EUR"), (issued.GetProperty("after").GetProperty("total").GetDecimal(), issued.GetProperty("after").GetProperty("currency").GetString()));
        Assert.Equal(("InvoicePaid", "invoices", "admin_key"),
            (paid.GetProperty("action").GetString(), paid.GetProperty("resource_type").GetString(), paid.GetProperty("actor").GetProperty("id").GetString()));
        var standing = $$"""{"invoice_id":"{{invoiceId}}","invoice_number":"INV-2026-000001","shop_id":"{{shopId}}","period_start":"2026-11-01",""";
        Assert.Equal(
            standing + "\"status\":\"pending\",\"total_minor\":4,\"currency\":\"EUR\",\"paid_at_ms\":null,\"payment_reference\":null,\"waived_reason\":null}",
            paid.GetProperty("before").GetRawText());
        Assert.Equal(
            standing + $"\"status\":\"paid\",\"total_minor\":4,\"currency\":\"EUR\",\"paid_at_ms\":{AfterClose.ToUnixTimeMilliseconds()},\"payment_reference\":\"SEPA-4711\",\"waived_reason\":null}}",
            paid.GetProperty("after").GetRawText());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ACardPurchaseIsAuditedByTheCustomersKeyWithoutTheCardNumber(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (planId, key) = await PurchaseApiTests.BuyerAsync(silo, price: 15.00m, tokens: 1_000);
        var bought = await PurchaseApiTests.PurchaseAsync(silo, key, planId, "4242 4242 4242 4242", HttpStatusCode.OK, idempotencyKey: "buy-1");
        var paymentId = bought.GetProperty("payment").GetProperty("id").GetString()!;

        var page = await silo.GetAsync(silo.Admin, $"/api/v1/admin/audit?resource={paymentId}");

        var paid = Assert.Single(page.GetProperty("entries").EnumerateArray());
        var actor = paid.GetProperty("actor");
        Assert.Equal(("PaymentSucceeded", "payments", "customer"), (paid.GetProperty("action").GetString(), paid.GetProperty("resource_type").GetString(), actor.GetProperty("type").GetString()));
        Assert.StartsWith("key_", actor.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(("pending", "succeeded"), (paid.GetProperty("before").GetProperty("status").GetString(), paid.GetProperty("after").GetProperty("status").GetString()));
        Assert.Equal((1500L, "EUR", "visa", "4242"),
            (paid.GetProperty("after").GetProperty("amount_minor").GetInt64(), paid.GetProperty("after").GetProperty("currency").GetString(),
             paid.GetProperty("after").GetProperty("card_brand").GetString(), paid.GetProperty("after").GetProperty("card_last4").GetString()));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%4242424242424242%' OR after_json LIKE '%4242 4242%'"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TheLogIsPagedNewestFirstAndFilteredByActorAndTime(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (operatorId, operatorKey) = await OperatorKeys.CreateAsync(silo, "Onboarding", "admin");
        using var onboarding = OperatorKeys.Client(silo, operatorKey);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            silo.Time.Advance(TimeSpan.FromMinutes(1));
            var customer = await OperatorKeys.SendAsync(onboarding, HttpMethod.Post, "/api/v1/admin/customers", new { name = $"Customer {i}", email = $"c{i}@example.com" }, HttpStatusCode.Created);
            created.Add(customer.GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        string? cursor = null;
        for (var pageNumber = 0; pageNumber < 5; pageNumber++)
        {
            var page = await silo.GetAsync(silo.Admin, $"/api/v1/admin/audit?actor={operatorId}&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.AddRange(page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("resource_id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            if (cursor is null)
            {
                break;
            }
        }

        var window = await silo.GetAsync(silo.Admin, "/api/v1/admin/audit?from=2026-11-21T12:02:00Z&to=2026-11-21T12:04:00Z");
        var invalid = await silo.GetAsync(silo.Admin, "/api/v1/admin/audit?limit=0&cursor=abc&from=yesterday", HttpStatusCode.BadRequest);

        Assert.Equal(Enumerable.Reverse(created), seen);
        Assert.Equal([created[2], created[1]], window.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("resource_id").GetString()));
        Assert.Equal("invalid_query", invalid.GetProperty("code").GetString());
        Assert.Equal(["cursor", "from", "limit"], invalid.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task NoKeyReachesTheAuditLog(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var (_, shopId, _, apiKey) = await silo.IssueKeyAsync();
        var (_, operatorKey) = await OperatorKeys.CreateAsync(silo, "Ops", "admin");

        var page = await silo.GetAsync(silo.Admin, $"/api/v1/admin/audit?action=IssueApiKey");

        var issued = Assert.Single(page.GetProperty("entries").EnumerateArray());
        Assert.Equal(("shops", shopId, "[redacted]"),
            (issued.GetProperty("resource_type").GetString(), issued.GetProperty("resource_id").GetString(), issued.GetProperty("after").GetProperty("key").GetString()));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%bk\\_%' ESCAPE '\\' OR before_json LIKE '%bk\\_%' ESCAPE '\\'"));
        Assert.Equal(0, await BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%{apiKey[20..]}%' OR after_json LIKE '%{operatorKey[20..]}%'"));
    }

    [Fact]
    public async Task TheLoadTestsParseEndpointChangesNothingAndWritesNoRow()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(
            database, configure: null, CatalogSilo.DefaultNow, new Dictionary<string, string> { ["Billing:LoadTest:BareEndpointEnabled"] = "true" });

        await silo.PostAsync("/api/v1/loadtest/parse", new { tokens = 5 }, HttpStatusCode.OK);

        Assert.Equal(0, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM audit_log"));
    }

    [Fact]
    public void CardNumbersCardCodesAndKeysAreRedactedWhereverTheyAre()
    {
        const string Json = """
            {"card":{"number":"4242 4242 4242 4242","cvc":"123","brand":"visa"},"note":"paid with 4000000000000002 today",
             "lines":[{"invoice_number":"INV-2026-000001","ref":"key bk_live_abcdEFGH_x"}],"client_secret":"pi_1_secret_2","tokens":1500,"paid_at_ms":1764547200000}
            """;

        Assert.Equal(
            """{"card":{"number":"[redacted]","cvc":"[redacted]","brand":"visa"},"note":"[redacted]","lines":[{"invoice_number":"INV-2026-000001","ref":"[redacted]"}],"client_secret":"[redacted]","tokens":1500,"paid_at_ms":1764547200000}""",
            AuditJson.Sanitize(Json));
    }
}
