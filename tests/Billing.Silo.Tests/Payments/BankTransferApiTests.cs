using System.Net;
using System.Net.Http.Json;
using Billing.Testing;
using static Billing.Silo.Tests.Payments.BankTransferScenario;

namespace Billing.Silo.Tests.Payments;

/// <summary>An operator records the transfers the bank credited: they add up, the one that covers the total pays the period, repeats change nothing.</summary>
public sealed class BankTransferApiTests
{
    public static TheoryData<string> AllDialects => Dialects;

    [Theory]
    [MemberData(nameof(AllDialects))]
    public async Task ATransferOfTheTotalPaysThePeriodAndTheSameBankReferenceAgainChangesNothing(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = Start(database);
        var shop = (await InvoicedShopsAsync(silo, 1))[0];
        var transfer = new { amount = 45.38m, currency = "EUR", value_date = "2026-12-04", payer_name = "Customer A", payer_iban = "de89 3704 0044 0532 0130 00", bank_reference = "NL-2026-12-04-0001" };

        var (paid, replayed) = await TransferAsync(silo, shop.InvoiceId, transfer, HttpStatusCode.Created);
        var (again, replayedAgain) = await TransferAsync(silo, shop.InvoiceId, transfer, HttpStatusCode.OK);
        var (conflict, _) = await TransferAsync(silo, shop.InvoiceId, transfer with { amount = 45.37m }, HttpStatusCode.Conflict);
        var (more, _) = await TransferAsync(silo, shop.InvoiceId, transfer with { amount = 1.00m, bank_reference = "NL-2026-12-04-0002" }, HttpStatusCode.Conflict);

        Assert.Equal((false, true), (replayed, replayedAgain));
        Assert.Equal(
            ("NL-2026-12-04-0001", shop.InvoiceId, shop.Number, 45.38m, "EUR", "2026-12-04", "Customer A", "DE89 **** **** **** **30 00", "manual"),
            (paid.GetProperty("bank_reference").GetString(), paid.GetProperty("invoice_id").GetString(), paid.GetProperty("invoice_number").GetString(),
             paid.GetProperty("amount").GetDecimal(), paid.GetProperty("currency").GetString(), paid.GetProperty("value_date").GetString(),
             paid.GetProperty("payer_name").GetString(), paid.GetProperty("payer_iban").GetString(), paid.GetProperty("source").GetString()));
        Assert.Equal((45.38m, 45.38m, 0m, "paid"), Balance(paid));
        Assert.Equal(paid.ToString(), again.ToString());
        Assert.Equal(("bank_reference_conflict", $"Bank reference 'NL-2026-12-04-0001' was recorded for invoice {shop.InvoiceId}: EUR 45.38 on 2026-12-04."), (conflict.GetProperty("code").GetString(), conflict.GetProperty("detail").GetString()));
        Assert.Equal(("invoice_already_paid", 0m), (more.GetProperty("code").GetString(), more.GetProperty("open").GetDecimal()));
        // Paid at the start of the value date in the customer's zone, with the bank's reference.
        Assert.Equal(("paid", new DateTimeOffset(2026, 12, 3, 23, 0, 0, TimeSpan.Zero), "NL-2026-12-04-0001"), await PeriodAsync(silo, shop));
        Assert.Equal((1, 1), (await CountAsync(silo, "bank_transfers"), await CountAsync(silo, "bank_transfer_totals")));
        Assert.Equal(4538, await Billing.Silo.Tests.Closing.BillingScenario.CountAsync(silo, $"SELECT received_minor FROM bank_transfer_totals WHERE invoice_id = '{shop.InvoiceId}'"));
    }

    [Theory]
    [MemberData(nameof(AllDialects))]
    public async Task PartialTransfersAddUpUntilTheRestPaysAndTooMuchOrTheWrongCurrencyIsRefused(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = Start(database);
        var shop = (await InvoicedShopsAsync(silo, 1))[0];

        var (first, _) = await TransferAsync(silo, shop.InvoiceId, new { amount = 20.00m, currency = "EUR", value_date = "2026-12-02", bank_reference = "T-1" }, HttpStatusCode.Created);
        var (tooMuch, _) = await TransferAsync(silo, shop.InvoiceId, new { amount = 25.39m, currency = "EUR", value_date = "2026-12-03", bank_reference = "T-2" }, HttpStatusCode.UnprocessableEntity);
        var (dollars, _) = await TransferAsync(silo, shop.InvoiceId, new { amount = 25.38m, currency = "USD", value_date = "2026-12-03", bank_reference = "T-2" }, HttpStatusCode.UnprocessableEntity);
        var afterFirst = await PeriodAsync(silo, shop);
        var (rest, _) = await TransferAsync(silo, shop.InvoiceId, new { amount = 25.38m, currency = "EUR", value_date = "2026-12-03", bank_reference = "T-2" }, HttpStatusCode.Created);
        var listed = await silo.GetAsync(silo.Admin, $"/api/v1/admin/invoices/{shop.InvoiceId}/transfers");

        Assert.Equal((45.38m, 20.00m, 25.38m, "pending"), Balance(first));
        Assert.Equal(("amount_exceeds_open", 25.38m, $"Invoice {shop.Number} has EUR 25.38 open; the transfer is EUR 25.39."), (tooMuch.GetProperty("code").GetString(), tooMuch.GetProperty("open").GetDecimal(), tooMuch.GetProperty("detail").GetString()));
        Assert.Equal(("currency_mismatch", $"Invoice {shop.Number} is in EUR; the transfer is in USD."), (dollars.GetProperty("code").GetString(), dollars.GetProperty("detail").GetString()));
        Assert.Equal(("pending", (DateTimeOffset?)null, (string?)null), afterFirst);
        Assert.Equal((45.38m, 45.38m, 0m, "paid"), Balance(rest));
        Assert.Equal(("paid", new DateTimeOffset(2026, 12, 2, 23, 0, 0, TimeSpan.Zero), "T-2"), await PeriodAsync(silo, shop));
        Assert.Equal((45.38m, 45.38m, 0m, "paid"), Balance(listed));
        Assert.Equal(["T-2", "T-1"], listed.GetProperty("transfers").EnumerateArray().Select(t => t.GetProperty("bank_reference").GetString()));
        Assert.Equal(2, await CountAsync(silo, "bank_transfers"));
    }

    [Theory]
    [MemberData(nameof(AllDialects))]
    public async Task InvalidTransfersAndUnknownInvoicesAreRefusedAndNothingIsStored(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = Start(database);
        var shop = (await InvoicedShopsAsync(silo, 1))[0];

        var (invalid, _) = await TransferAsync(
            silo, shop.InvoiceId, new { amount = 10.005m, currency = "EUR", value_date = "2026-12-07", payer_iban = "DE89370400440532013001", bank_reference = " " }, HttpStatusCode.BadRequest);
        var (noCurrency, _) = await TransferAsync(silo, shop.InvoiceId, new { amount = 1m, value_date = "03.12.2026", bank_reference = "T-1" }, HttpStatusCode.BadRequest);
        var (unknown, _) = await TransferAsync(silo, "inv_0000000000000000000000", new { amount = 1m, currency = "EUR", value_date = "2026-12-03", bank_reference = "T-1" }, HttpStatusCode.NotFound);
        var unlisted = await silo.GetAsync(silo.Admin, "/api/v1/admin/invoices/inv_0000000000000000000000/transfers", HttpStatusCode.NotFound);

        Assert.Equal("invalid_transfer", invalid.GetProperty("code").GetString());
        var errors = invalid.GetProperty("errors");
        Assert.Equal(["amount", "bank_reference", "payer_iban", "value_date"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("amount must be greater than 0 with at most 2 decimals", errors.GetProperty("amount")[0].GetString());
        Assert.Equal("payer_iban is invalid: IBAN check digits do not match: a character is mistyped or two are swapped", errors.GetProperty("payer_iban")[0].GetString());
        Assert.Equal("value_date must not be in the future", errors.GetProperty("value_date")[0].GetString());
        Assert.Equal(["currency", "value_date"], noCurrency.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("invoice_not_found", "invoice_not_found"), (unknown.GetProperty("code").GetString(), unlisted.GetProperty("code").GetString()));
        Assert.Equal(0, await CountAsync(silo, "bank_transfers"));
        Assert.Equal(("pending", (DateTimeOffset?)null, (string?)null), await PeriodAsync(silo, shop));
    }

    [Theory]
    [MemberData(nameof(AllDialects))]
    public async Task RacingTransfersToOneInvoiceNeverPassItsTotal(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = Start(database);
        var shop = (await InvoicedShopsAsync(silo, 1))[0];

        var racing = Enumerable.Range(1, 8).Select(i => silo.Admin.PostAsJsonAsync(
            new Uri($"/api/v1/admin/invoices/{shop.InvoiceId}/transfers", UriKind.Relative),
            new { amount = 10.00m, currency = "EUR", value_date = "2026-12-04", bank_reference = $"R-{i}" })).ToList();
        var responses = await Task.WhenAll(racing);
        var statuses = responses.Select(r => r.StatusCode).ToList();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        // 4 × 10.00 fit into 45.38; a fifth would pass it.
        Assert.Equal((4, 4), (statuses.Count(s => s == HttpStatusCode.Created), statuses.Count(s => s == HttpStatusCode.UnprocessableEntity)));
        Assert.Equal(4000, await Closing.BillingScenario.CountAsync(silo, $"SELECT SUM(amount_minor) FROM bank_transfers WHERE invoice_id = '{shop.InvoiceId}'"));
        Assert.Equal(4000, await Closing.BillingScenario.CountAsync(silo, $"SELECT received_minor FROM bank_transfer_totals WHERE invoice_id = '{shop.InvoiceId}'"));
        Assert.Equal("pending", (await PeriodAsync(silo, shop)).Status);
    }

    [Theory]
    [MemberData(nameof(AllDialects))]
    public async Task ATransferStoredByACrashedRequestPaysThePeriodWhenItIsRecordedAgain(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = Start(database);
        var shop = (await InvoicedShopsAsync(silo, 1))[0];
        // What a crash between the transfer's commit and the payment leaves: the money recorded, the period pending.
        await Closing.BillingScenario.ExecuteAsync(silo,
            $"INSERT INTO bank_transfers (bank_reference, invoice_id, amount_minor, currency, value_date, source, recorded_at_ms) VALUES ('T-9', '{shop.InvoiceId}', 4538, 'EUR', '2026-12-04', 'manual', 0)");
        await Closing.BillingScenario.ExecuteAsync(silo, $"INSERT INTO bank_transfer_totals (invoice_id, received_minor) VALUES ('{shop.InvoiceId}', 4538)");

        var (retried, replayed) = await TransferAsync(silo, shop.InvoiceId, new { amount = 45.38m, currency = "EUR", value_date = "2026-12-04", bank_reference = "T-9" }, HttpStatusCode.OK);

        Assert.True(replayed);
        Assert.Equal((45.38m, 45.38m, 0m, "paid"), Balance(retried));
        Assert.Equal(("paid", new DateTimeOffset(2026, 12, 3, 23, 0, 0, TimeSpan.Zero), "T-9"), await PeriodAsync(silo, shop));
    }

    private static (decimal, decimal, decimal, string?) Balance(System.Text.Json.JsonElement body) =>
        (body.GetProperty("total").GetDecimal(), body.GetProperty("received").GetDecimal(), body.GetProperty("open").GetDecimal(), body.GetProperty("status").GetString());
}
