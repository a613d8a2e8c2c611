using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Invoicing;
using Billing.Silo.Payments;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// Refunds of paid invoices through the admin API, on both dialects: numbered credit notes from
/// their own gapless sequence with the invoice's VAT split, never more than the invoice's total,
/// Idempotency-Key replays, and the money given back by hand or through the provider.
/// </summary>
public sealed class RefundTests
{
    // 08:00 on 1 October 2026 in New York, so October is a whole month; it closes an hour after local midnight.
    private static readonly DateTimeOffset October1 = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset OctoberClosed = new(2026, 11, 1, 5, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task APartialThenAFullRefundIssueConsecutiveCreditNotesWithTheInvoicesVatSplitAndNothingBeyondItsTotal(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: October1);
        var invoiceId = await InvoiceAsync(silo);
        var unpaid = await RefundAsync(silo, invoiceId, new { amount = 50m, reason = "Outage" }, HttpStatusCode.Conflict);
        await silo.PostAsync($"/api/v1/admin/invoices/{invoiceId}/pay", new { reference = "bank-transfer-77" }, HttpStatusCode.OK);

        var partial = await RefundAsync(silo, invoiceId, new { amount = 50m, reason = "Outage on 12 October" });
        var beyond = await RefundAsync(silo, invoiceId, new { amount = 71.01m, reason = "Too much" }, HttpStatusCode.Conflict);
        var rest = await RefundAsync(silo, invoiceId, new { reason = "Cancelled" });
        var nothingLeft = await RefundAsync(silo, invoiceId, new { reason = "Again" }, HttpStatusCode.Conflict);

        Assert.Equal("invoice_not_paid", unpaid.GetProperty("code").GetString());
        // 50.00 of 121.00: VAT 50 × 21 / 121 = 8.677… → 8.68; the rest takes exactly what is left of each part.
        Assert.Equal(("CN-2026-000001", 41.32m, 8.68m, 50.00m), Figures(partial));
        Assert.Equal(("CN-2026-000002", 58.68m, 12.32m, 71.00m), Figures(rest));
        Assert.Equal(("refund_exceeds_invoice_total", 71.00m), (beyond.GetProperty("code").GetString(), beyond.GetProperty("refundable").GetDecimal()));
        Assert.Equal(("refund_exceeds_invoice_total", 0m), (nothingLeft.GetProperty("code").GetString(), nothingLeft.GetProperty("refundable").GetDecimal()));
        Assert.Equal([("Refund of invoice INV-2026-000001", 1m, 41.32m, 41.32m)], PlanScenario.Lines(partial));
        var refund = partial.GetProperty("refund");
        Assert.Equal(("manual", "manual", 50.00m, "USD"), (refund.GetProperty("method").GetString(), refund.GetProperty("status").GetString(), refund.GetProperty("amount").GetDecimal(), refund.GetProperty("currency").GetString()));
        Assert.Equal(JsonValueKind.Null, refund.GetProperty("provider_reference").ValueKind);

        var listed = await silo.GetAsync(silo.Admin, $"/api/v1/admin/invoices/{invoiceId}/credit-notes");
        Assert.Equal(121.00m, listed.GetProperty("credited").GetDecimal());
        Assert.Equal(["CN-2026-000001", "CN-2026-000002"], listed.GetProperty("credit_notes").EnumerateArray().Select(n => n.GetProperty("number").GetString()));
        var shown = await silo.GetAsync(silo.Admin, $"/api/v1/admin/credit-notes/{Id(rest)}");
        Assert.Equal(Figures(rest), Figures(shown));
        using var html = await silo.Admin.GetAsync(new Uri($"/api/v1/admin/credit-notes/{Id(rest)}/html", UriKind.Relative));
        var page = await html.Content.ReadAsStringAsync();
        Assert.Contains("<dt>Credit note number</dt><dd>CN-2026-000002</dd>", page, StringComparison.Ordinal);
        Assert.Contains("Total credited</th><td class=\"num\">USD 71.00</td>", page, StringComparison.Ordinal);
        Assert.Equal(2, await BillingScenario.CountAsync(silo, "SELECT last_number FROM credit_note_counters"));
        Assert.Equal(2, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM refunds WHERE status = 'manual'"));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task AnIdempotencyKeyReplayIssuesNothingNewAndTheSandboxRefundsThePaymentOnce(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database, configure: null, now: October1);
        var invoiceId = await InvoiceAsync(silo);
        await PaidByProviderAsync(silo, invoiceId, "sandbox", "pi_sandbox_0123456789abcdef01234567");

        var first = await RefundAsync(silo, invoiceId, new { amount = 21.00m, reason = "Goodwill" }, HttpStatusCode.Created, "refund-1");
        var (replay, replayed) = await RefundWithHeadersAsync(silo, invoiceId, new { amount = 21.00m, reason = "Goodwill" }, HttpStatusCode.OK, "refund-1");
        var reused = await RefundAsync(silo, invoiceId, new { amount = 22.00m, reason = "Goodwill" }, (HttpStatusCode)422, "refund-1");
        var missing = await RefundAsync(silo, "inv_0123456789abcdefghij", new { reason = "Nothing" }, HttpStatusCode.NotFound);
        var invalid = await RefundAsync(silo, invoiceId, new { amount = -1m, reason = "" }, HttpStatusCode.BadRequest);
        var belowACent = await RefundAsync(silo, invoiceId, new { amount = 1.001m, reason = "Rounding" }, HttpStatusCode.BadRequest);

        Assert.Equal((Id(first), true), (Id(replay), replayed));
        Assert.Equal(("CN-2026-000001", 17.36m, 3.64m, 21.00m), Figures(replay));
        var refund = replay.GetProperty("refund");
        Assert.Equal(("provider", "succeeded", "sandbox", "pi_sandbox_0123456789abcdef01234567"),
            (refund.GetProperty("method").GetString(), refund.GetProperty("status").GetString(), refund.GetProperty("provider").GetString(), refund.GetProperty("payment_reference").GetString()));
        Assert.StartsWith("re_sandbox_", refund.GetProperty("provider_reference").GetString(), StringComparison.Ordinal);
        Assert.Equal(("idempotency_key_reused", "invoice_not_found"), (reused.GetProperty("code").GetString(), missing.GetProperty("code").GetString()));
        Assert.Equal(["amount", "reason"], invalid.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("amount must be in whole minor units of the invoice's currency", belowACent.GetProperty("errors").GetProperty("amount")[0].GetString());
        Assert.Equal(1, await BillingScenario.CountAsync(silo, "SELECT COUNT(*) FROM credit_notes"));
        Assert.Equal(1, await BillingScenario.CountAsync(silo, "SELECT last_number FROM credit_note_counters"));

        // Both money movements are audited in their own transactions, by the operator, once (the replay writes nothing).
        var audit = (await silo.GetAsync(silo.Admin, $"/api/v1/admin/audit?resource={invoiceId}")).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() is not ("InvoiceIssued" or "InvoicePaid")).ToList();
        Assert.Equal(["RefundSucceeded", "CreditNoteIssued"], audit.Select(e => e.GetProperty("action").GetString()));
        Assert.All(audit, e => Assert.Equal("admin_key", e.GetProperty("actor").GetProperty("id").GetString()));
        var (succeeded, issued) = (audit[0], audit[1]);
        Assert.Equal(("CN-2026-000001", 21.00m, "provider", "pending"), (
            issued.GetProperty("after").GetProperty("number").GetString(), issued.GetProperty("after").GetProperty("total").GetDecimal(),
            issued.GetProperty("after").GetProperty("refund").GetProperty("method").GetString(), issued.GetProperty("after").GetProperty("refund").GetProperty("status").GetString()));
        Assert.Equal(("pending", "succeeded", 21.00m, Id(first)), (
            succeeded.GetProperty("before").GetProperty("status").GetString(), succeeded.GetProperty("after").GetProperty("status").GetString(),
            succeeded.GetProperty("after").GetProperty("amount").GetDecimal(), succeeded.GetProperty("after").GetProperty("credit_note_id").GetString()));
        Assert.Equal(refund.GetProperty("provider_reference").GetString(), succeeded.GetProperty("after").GetProperty("provider_reference").GetString());
    }

    [Fact]
    public async Task StripeRefundsThePaymentIntentUnderTheCreditNotesKeyAndAnOutageIsFinishedByTheRetryWithoutRefundingTwice()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, null, October1, stripe.Settings);
        var invoiceId = await InvoiceAsync(silo);
        var intent = stripe.AddSucceededIntent(12_100, "usd");
        await PaidByProviderAsync(silo, invoiceId, "stripe", intent);

        var first = await RefundAsync(silo, invoiceId, new { amount = 100m, reason = "Partial refund" }, HttpStatusCode.Created, "stripe-1");
        stripe.FailNext(1);
        var outage = await RefundAsync(silo, invoiceId, new { reason = "The rest" }, HttpStatusCode.BadGateway, "stripe-2");
        var pending = await silo.GetAsync(silo.Admin, $"/api/v1/admin/invoices/{invoiceId}/credit-notes");
        var retried = await RefundAsync(silo, invoiceId, new { reason = "The rest" }, HttpStatusCode.OK, "stripe-2");
        var beyond = await RefundAsync(silo, invoiceId, new { amount = 0.01m, reason = "More" }, HttpStatusCode.Conflict, "stripe-3");

        Assert.Equal(("succeeded", "re_standin_000001"), Refund(first));
        Assert.Equal("payment_provider_unavailable", outage.GetProperty("code").GetString());
        Assert.Equal(("pending", (string?)null), Refund(pending.GetProperty("credit_notes")[1]));
        Assert.Equal((Id(pending.GetProperty("credit_notes")[1]), "CN-2026-000002", 21.00m), (Id(retried), Figures(retried).Number, Figures(retried).Total));
        Assert.Equal(("succeeded", "re_standin_000002"), Refund(retried));
        Assert.Equal("refund_exceeds_invoice_total", beyond.GetProperty("code").GetString());
        Assert.Equal(2, stripe.RefundsCreated);
        var refunds = stripe.Refunds.ToList();
        Assert.Equal(3, refunds.Count); // the first, the one that met the outage, and its retry under the same key
        Assert.Equal($"billing:credit_note:{Id(first)}:attempt:1", refunds[0].Key);
        Assert.Equal((intent, "10000"), (refunds[0].Form["payment_intent"].ToString(), refunds[0].Form["amount"].ToString()));
        Assert.Equal((refunds[1].Key, "2100"), (refunds[2].Key, refunds[2].Form["amount"].ToString()));
    }

    [Fact]
    public async Task TheShopSeesItsInvoicesCreditNotesAndAnotherShopSeesNone()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = CatalogSilo.Start(database, configure: null, now: October1);
        var (invoiceId, key) = await InvoiceWithKeyAsync(silo);
        await silo.PostAsync($"/api/v1/admin/invoices/{invoiceId}/pay", new { reference = "bank-transfer-78" }, HttpStatusCode.OK);
        var note = await RefundAsync(silo, invoiceId, new { amount = 50m, reason = "Outage on 12 October" });
        var (_, otherKey) = await PlanScenario.ShopAsync(silo);
        using var own = BillingScenario.Client(silo, key);
        using var other = BillingScenario.Client(silo, otherKey);

        var listed = await silo.GetAsync(own, $"/api/v1/billing/invoices/{invoiceId}/credit-notes");
        var shown = await silo.GetAsync(own, $"/api/v1/billing/credit-notes/{Id(note)}");
        var page = await own.GetStringAsync(new Uri($"/api/v1/billing/credit-notes/{Id(note)}/html", UriKind.Relative));

        Assert.Equal((50.00m, "CN-2026-000001"), (listed.GetProperty("credited").GetDecimal(), Assert.Single(listed.GetProperty("credit_notes").EnumerateArray()).GetProperty("number").GetString()));
        Assert.Equal(Figures(note), Figures(shown));
        Assert.Contains("<dt>Credit note number</dt><dd>CN-2026-000001</dd>", page, StringComparison.Ordinal);
        Assert.Equal("invoice_not_found", (await silo.GetAsync(other, $"/api/v1/billing/invoices/{invoiceId}/credit-notes", HttpStatusCode.NotFound)).GetProperty("code").GetString());
        Assert.Equal("credit_note_not_found", (await silo.GetAsync(other, $"/api/v1/billing/credit-notes/{Id(note)}", HttpStatusCode.NotFound)).GetProperty("code").GetString());
        Assert.Equal("credit_note_not_found", (await silo.GetAsync(other, $"/api/v1/billing/credit-notes/{Id(note)}/html", HttpStatusCode.NotFound)).GetProperty("code").GetString());
    }

    /// <summary>A dollar shop in New York on 100.00 a seat, one seat: October's invoice is 100.00 + 21 % VAT = 121.00.</summary>
    private static async Task<string> InvoiceAsync(CatalogSilo silo) => (await InvoiceWithKeyAsync(silo)).InvoiceId;

    /// <summary>The same, with the shop's API key.</summary>
    private static async Task<(string InvoiceId, string Key)> InvoiceWithKeyAsync(CatalogSilo silo)
    {
        var plan = await PlanScenario.PerSeatPlanAsync(silo, "Standard", 100m);
        var (shopId, key) = await PlanScenario.ShopAsync(silo);
        await PlanScenario.PutTermsAsync(silo, shopId, new { price_plan_id = plan, seats = 1 });
        await PlanScenario.AdvanceAsync(silo, OctoberClosed);
        var invoice = Assert.Single(await PlanScenario.InvoicesAsync(silo, key));
        Assert.Equal((100.00m, 21.00m, 121.00m), PlanScenario.Totals(invoice));
        return (invoice.GetProperty("id").GetString()!, key);
    }

    /// <summary>As invoice collection leaves it: the provider's succeeded payment, and the period paid with its reference.</summary>
    private static async Task PaidByProviderAsync(CatalogSilo silo, string invoiceId, string provider, string providerRef)
    {
        var invoice = await silo.Services.GetRequiredService<InvoiceBook>().InvoiceAsync(invoiceId, CancellationToken.None);
        var now = silo.Time.GetUtcNow();
        var payment = new StoredPayment(
            Guid.CreateVersion7(now), invoice!.CustomerId, StoredPayment.PlanPurchase, null, new Money(invoice.Total, Currency.Parse(invoice.Currency)),
            StoredPaymentStatus.Succeeded, provider, providerRef, null, null, "visa", "4242", null, null, now, now, now);
        Assert.True(await silo.Services.GetRequiredService<PaymentStore>().InsertAsync(payment, CancellationToken.None));
        Assert.NotNull(await silo.Services.GetRequiredService<PeriodStandings>().PayAsync(invoiceId, null, providerRef, CancellationToken.None));
    }

    private static async Task<JsonElement> RefundAsync(CatalogSilo silo, string invoiceId, object body, HttpStatusCode expected = HttpStatusCode.Created, string? key = null) =>
        (await RefundWithHeadersAsync(silo, invoiceId, body, expected, key)).Body;

    private static async Task<(JsonElement Body, bool Replayed)> RefundWithHeadersAsync(CatalogSilo silo, string invoiceId, object body, HttpStatusCode expected, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/admin/invoices/{invoiceId}/refunds", UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await silo.Admin.SendAsync(request);
        return (await CatalogSilo.ReadAsync(response, expected), response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true"));
    }

    private static string Id(JsonElement note) => note.GetProperty("id").GetString()!;

    private static (string? Number, decimal Subtotal, decimal Vat, decimal Total) Figures(JsonElement note) =>
        (note.GetProperty("number").GetString(), note.GetProperty("subtotal").GetDecimal(), note.GetProperty("vat").GetDecimal(), note.GetProperty("total").GetDecimal());

    private static (string?, string?) Refund(JsonElement note) =>
        (note.GetProperty("refund").GetProperty("status").GetString(), note.GetProperty("refund").GetProperty("provider_reference").GetString());
}
