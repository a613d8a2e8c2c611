using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Billing.Domain.Payments;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;

namespace Billing.Silo.Tests.Payments;

/// <summary>
/// Invoices to pay by transfer: shops with three calls at EUR 12.50 in November (Amsterdam), closed
/// at 01:00 local on 1 December, issued with the issuer's IBAN and so with an RF reference; the clock
/// then moves to 5 December.
/// </summary>
internal static class BankTransferScenario
{
    public static readonly DateTimeOffset BeforeMonthEnd = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset AfterClose = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Paying = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Billing:Invoicing:IssuerIban"] = "NL91ABNA0417164300",
        ["Billing:Invoicing:IssuerBic"] = "ABNANL2A",
        ["Billing:Invoicing:DefaultPricePerRequest"] = "12.50",
    };

    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    public static CatalogSilo Start(TestDatabase database) => CatalogSilo.Start(database, configure: null, BeforeMonthEnd, Settings);

    /// <summary>With invoices numbered as <paramref name="numberFormat"/> says.</summary>
    public static CatalogSilo Start(TestDatabase database, string numberFormat) =>
        CatalogSilo.Start(database, configure: null, BeforeMonthEnd, new Dictionary<string, string>(Settings) { ["Billing:Invoicing:NumberFormat"] = numberFormat });

    /// <summary><paramref name="count"/> invoiced shops, in the order their names say (A, B, …).</summary>
    public static async Task<IReadOnlyList<InvoicedShop>> InvoicedShopsAsync(CatalogSilo silo, int count)
    {
        var shops = new List<(string ShopId, string Key)>();
        for (var i = 0; i < count; i++)
        {
            var (_, shopId, key) = await BillingScenario.CustomerAsync(silo, "Europe/Amsterdam", $"Customer {(char)('A' + i)}");
            await BillingScenario.ConsumeAsync(silo, key, 3);
            shops.Add((shopId, key));
        }

        await BillingScenario.AdvanceAndTickAsync(silo, AfterClose);
        silo.Time.Advance(Paying - silo.Time.GetUtcNow());
        var invoiced = new List<InvoicedShop>();
        foreach (var (shopId, key) in shops)
        {
            using var client = BillingScenario.Client(silo, key);
            var invoice = Assert.Single((await silo.GetAsync(client, "/api/v1/billing/invoices")).GetProperty("invoices").EnumerateArray());
            var number = invoice.GetProperty("number").GetString()!;
            Assert.Equal((45.38m, "EUR"), (invoice.GetProperty("total").GetDecimal(), invoice.GetProperty("currency").GetString()));
            invoiced.Add(new InvoicedShop(shopId, invoice.GetProperty("id").GetString()!, number, CreditorReference.FromInvoiceNumber(number)));
        }

        return invoiced;
    }

    public static async Task<(JsonElement Body, bool Replayed)> TransferAsync(CatalogSilo silo, string invoiceId, object body, HttpStatusCode expected)
    {
        using var response = await silo.Admin.PostAsJsonAsync(new Uri($"/api/v1/admin/invoices/{invoiceId}/transfers", UriKind.Relative), body);
        return (await CatalogSilo.ReadAsync(response, expected), response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true"));
    }

    public static Task<JsonElement> UploadAsync(CatalogSilo silo, string body, string mediaType, HttpStatusCode expected = HttpStatusCode.OK) =>
        silo.PostRawAsync(silo.Admin, "/api/v1/admin/bank-statements", body, mediaType, expected);

    /// <summary>(status, paid_at, payment_reference) of the shop's invoiced period, as the admin API shows it.</summary>
    public static async Task<(string? Status, DateTimeOffset? PaidAt, string? Reference)> PeriodAsync(CatalogSilo silo, InvoicedShop shop)
    {
        var periods = (await silo.GetAsync(silo.Admin, $"/api/v1/admin/shops/{shop.ShopId}/periods")).GetProperty("periods");
        var period = periods.EnumerateArray().Single(p => p.GetProperty("invoice_id").ValueKind == JsonValueKind.String);
        return (
            period.GetProperty("status").GetString(),
            period.GetProperty("paid_at").ValueKind == JsonValueKind.Null ? null : period.GetProperty("paid_at").GetDateTimeOffset(),
            period.GetProperty("payment_reference").GetString());
    }

    /// <summary>Each line's (bank_line_id, status, invoice_number, open) in file order.</summary>
    public static IReadOnlyList<(string?, string?, string?, decimal?)> Lines(JsonElement report) =>
        [.. report.GetProperty("entries").EnumerateArray().Select(e => (
            e.GetProperty("bank_line_id").GetString(), e.GetProperty("status").GetString(), e.GetProperty("invoice_number").GetString(),
            e.GetProperty("open").ValueKind == JsonValueKind.Null ? (decimal?)null : e.GetProperty("open").GetDecimal()))];

    public static Task<long> CountAsync(CatalogSilo silo, string table) => BillingScenario.CountAsync(silo, $"SELECT COUNT(*) FROM {table}");

    public static string Csv(params string[] lines) =>
        new StringBuilder(StatementCsv.Header).Append("\r\n").AppendJoin("\r\n", lines).Append("\r\n").ToString();
}

internal sealed record InvoicedShop(string ShopId, string InvoiceId, string Number, CreditorReference Reference);
