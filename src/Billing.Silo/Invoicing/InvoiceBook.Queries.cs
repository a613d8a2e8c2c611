using System.Data.Common;
using System.Text.Json;
using Billing.Domain;
using Billing.Runtime.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>A period as stored (open or closed).</summary>
public sealed record StoredPeriod(
    string ShopId,
    BillingPeriod Period,
    string Cycle,
    bool IsCurrent,
    string Status,
    long? ClosedAtMs,
    long? WatermarkSequence,
    UsageCountsRow? Totals,
    string? InvoiceId,
    DateOnly? DueDate,
    long? PaidAtMs,
    string? WaivedReason,
    string? PricePlanId,
    int Seats);

public sealed record UsageCountsRow(long Requests, long Tokens, long Errors);

/// <summary>A credit or charge waiting for the shop's next invoice.</summary>
public sealed record PendingLine(string Id, InvoiceLine Line);

public sealed partial class InvoiceBook
{
    public const int MaxPendingLinesPerInvoice = 100;

    private const string PeriodColumns =
        "shop_id, period_start, period_end, cycle, zone, is_current, status, closed_at_ms, usage_watermark_seq, requests, tokens, errors, invoice_id, due_date, paid_at_ms, waived_reason, price_plan_id, seats";

    /// <summary>The shop's most recently closed period, whose watermark the next close continues from.</summary>
    public Task<StoredPeriod?> LastClosedPeriodAsync(string shopId, CancellationToken cancellationToken) =>
        ReadOneAsync(
            $"SELECT {PeriodColumns} FROM billing_periods WHERE shop_id = @shop AND is_current = FALSE ORDER BY period_start DESC LIMIT 1",
            c => c.With("shop", shopId), ReadPeriod, cancellationToken);

    /// <summary>Invoices of the shop for periods starting in [from, to).</summary>
    public Task<IReadOnlyList<InvoiceDocument>> ShopInvoicesAsync(string shopId, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        ReadListAsync(
            "SELECT document_json FROM invoices WHERE shop_id = @shop AND period_start >= @from AND period_start < @to ORDER BY period_start",
            c => c.With("shop", shopId).With("from", Iso(from)).With("to", Iso(to)), ReadDocument, cancellationToken);

    public Task<InvoiceDocument?> InvoiceAsync(string invoiceId, CancellationToken cancellationToken) =>
        ReadOneAsync("SELECT document_json FROM invoices WHERE id = @id", c => c.With("id", invoiceId), ReadDocument, cancellationToken);

    public Task<IReadOnlyList<PendingLine>> PendingLinesAsync(string shopId, CancellationToken cancellationToken) =>
        ReadListAsync(
            "SELECT id, service, quantity, unit_price, amount_minor, currency FROM pending_invoice_lines WHERE shop_id = @shop AND billed_invoice_id IS NULL ORDER BY created_at_ms, id LIMIT @limit",
            c => c.With("shop", shopId).With("limit", MaxPendingLinesPerInvoice),
            r =>
            {
                var currency = Currency.Parse(r.GetString(5));
                return new PendingLine(
                    r.GetString(0),
                    new InvoiceLine(r.GetString(1), decimal.Parse(r.GetString(2), System.Globalization.CultureInfo.InvariantCulture),
                        new Money(decimal.Parse(r.GetString(3), System.Globalization.CultureInfo.InvariantCulture), currency), Money.FromMinorUnits(r.GetInt64(4), currency)));
            },
            cancellationToken);

    private static StoredPeriod ReadPeriod(DbDataReader r)
    {
        var start = LocalDate.FromDateOnly(DateOnly.Parse(r.GetString(1), System.Globalization.CultureInfo.InvariantCulture));
        var end = LocalDate.FromDateOnly(DateOnly.Parse(r.GetString(2), System.Globalization.CultureInfo.InvariantCulture));
        return new StoredPeriod(
            r.GetString(0), new BillingPeriod(start, end, r.GetString(4)), r.GetString(3), r.GetBoolean(5), r.GetString(6),
            NullableInt64(r, 7), NullableInt64(r, 8), r.IsDBNull(9) ? null : new UsageCountsRow(r.GetInt64(9), r.GetInt64(10), r.GetInt64(11)),
            r.IsDBNull(12) ? null : r.GetString(12), r.IsDBNull(13) ? null : DateOnly.Parse(r.GetString(13), System.Globalization.CultureInfo.InvariantCulture),
            NullableInt64(r, 14), r.IsDBNull(15) ? null : r.GetString(15), r.IsDBNull(16) ? null : r.GetString(16), r.GetInt32(17));
    }

    internal static InvoiceDocument ParseDocument(string json) =>
        JsonSerializer.Deserialize<InvoiceDocument>(json, DocumentJson) ?? throw new InvariantViolationException("An invoice row holds no document.");

    private static InvoiceDocument ReadDocument(DbDataReader r) => ParseDocument(r.GetString(0));

    private static long? NullableInt64(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetInt64(ordinal);

    private Task<T?> ReadOneAsync<T>(string sql, Func<DbCommand, DbCommand> bind, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class => database.QueryFirstAsync(sql, bind, map, cancellationToken);

    private Task<IReadOnlyList<T>> ReadListAsync<T>(string sql, Func<DbCommand, DbCommand> bind, Func<DbDataReader, T> map, CancellationToken cancellationToken) =>
        database.QueryListAsync(sql, bind, map, cancellationToken);
}
