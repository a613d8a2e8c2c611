using System.Data.Common;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>What the next close continues from: the last closed period's usage watermark and when it was closed.</summary>
public sealed record LastClose(long WatermarkSequence, Instant? ClosedAt);

/// <summary>A credit or charge waiting for the shop's next invoice.</summary>
public sealed record PendingLine(string Id, InvoiceLine Line);

public sealed partial class InvoiceBook
{
    public const int MaxPendingLinesPerInvoice = 100;

    /// <summary>The shop's most recently closed period's watermark and close time; null before its first close.</summary>
    public Task<LastClose?> LastCloseAsync(string shopId, CancellationToken cancellationToken) =>
        ReadOneAsync(
            "SELECT usage_watermark_seq, closed_at_ms FROM billing_periods WHERE shop_id = @shop AND is_current = FALSE ORDER BY period_start DESC LIMIT 1",
            c => c.With("shop", shopId),
            r => new LastClose(r.IsDBNull(0) ? 0 : r.GetInt64(0), r.IsDBNull(1) ? null : Instant.FromUnixTimeMilliseconds(r.GetInt64(1))),
            cancellationToken);

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

    internal static InvoiceDocument ParseDocument(string json) =>
        JsonSerializer.Deserialize<InvoiceDocument>(json, DocumentJson) ?? throw new InvariantViolationException("An invoice row holds no document.");

    private static InvoiceDocument ReadDocument(DbDataReader r) => ParseDocument(r.GetString(0));

    private Task<T?> ReadOneAsync<T>(string sql, Func<DbCommand, DbCommand> bind, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class => database.QueryFirstAsync(sql, bind, map, cancellationToken);

    private Task<IReadOnlyList<T>> ReadListAsync<T>(string sql, Func<DbCommand, DbCommand> bind, Func<DbDataReader, T> map, CancellationToken cancellationToken) =>
        database.QueryListAsync(sql, bind, map, cancellationToken);
}
