using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Audit;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// A period's standing as stored, with its invoice's number and total. <see cref="Status"/> is the
/// stored text: an invoiced period past its due date is still stored as pending (overdue is derived
/// when read), so it is also the expected value of the conditional update.
/// </summary>
public sealed record PeriodStandingRow(
    string ShopId,
    BillingPeriod Period,
    bool IsCurrent,
    string Status,
    DateOnly? DueDate,
    long? PaidAtMs,
    string? WaivedReason,
    string? PaymentReference,
    string? InvoiceId,
    string? InvoiceNumber,
    string? Currency,
    long? TotalMinor)
{
    /// <summary>The domain's standing as stored; a stored overdue period counts at least one day until refreshed.</summary>
    public PeriodStanding ToStanding()
    {
        var status = PeriodStatuses.Parse(Status);
        return PeriodStanding.Restore(
            status, Period.ZoneId, DueDate is { } due ? LocalDate.FromDateOnly(due) : null,
            PaidAtMs is { } paid ? Instant.FromUnixTimeMilliseconds(paid) : null, WaivedReason, status == PeriodStatus.Overdue ? 1 : 0);
    }
}

/// <summary>Reads periods with their invoices, and moves an invoiced period to paid or waived with a conditional update.</summary>
public sealed partial class PeriodStandingStore(SqlDatabase database, AuditLog audit)
{
    public const int MaxPaymentReferenceLength = 200;

    private const string Columns =
        """
        p.shop_id, p.period_start, p.period_end, p.zone, p.is_current, p.status, p.due_date, p.paid_at_ms, p.waived_reason,
        p.payment_reference, p.invoice_id, i.number, i.currency, i.total_minor, p.start_ms
        """;

    /// <summary>Where a query selecting <see cref="Columns"/> and then the invoice's document finds the document.</summary>
    private const int DocumentOrdinal = 15;

    private const string Select = $"SELECT {Columns} FROM billing_periods p LEFT JOIN invoices i ON i.id = p.invoice_id";

    /// <summary>The shop's periods, open and closed, newest first.</summary>
    public Task<IReadOnlyList<PeriodStandingRow>> ShopPeriodsAsync(string shopId, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"{Select} WHERE p.shop_id = @shop ORDER BY p.period_start DESC LIMIT @limit", c => c.With("shop", shopId).With("limit", limit), Read, cancellationToken);

    /// <summary>The shop's newest invoices, each with its period (null only for an invoice without one), in one query.</summary>
    public Task<IReadOnlyList<(InvoiceDocument Document, PeriodStandingRow? Period)>> ShopInvoicesAsync(string shopId, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync<(InvoiceDocument, PeriodStandingRow?)>(
            $"""
            SELECT {Columns}, i.document_json
            FROM invoices i LEFT JOIN billing_periods p ON p.shop_id = i.shop_id AND p.period_start = i.period_start AND p.invoice_id = i.id
            WHERE i.shop_id = @shop ORDER BY i.period_start DESC LIMIT @limit
            """,
            c => c.With("shop", shopId).With("limit", limit),
            r => (InvoiceBook.ParseDocument(r.GetString(DocumentOrdinal)), r.IsDBNull(0) ? null : Read(r)),
            cancellationToken);

    public Task<PeriodStandingRow?> InvoicedPeriodAsync(string invoiceId, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(invoiceId, CatalogIds.Invoice)
            ? database.QueryFirstAsync($"{Select} WHERE p.invoice_id = @invoice", c => c.With("invoice", invoiceId), Read, cancellationToken)
            : Task.FromResult<PeriodStandingRow?>(null);

    /// <summary>
    /// Stores <paramref name="next"/> only if the row still has the status it was read with and
    /// returns the row as stored; null when another request moved it first (the caller reads again
    /// and decides again). A change is audited (InvoicePaid, InvoiceWaived) in the same transaction,
    /// by whoever is the current actor.
    /// </summary>
    public Task<PeriodStandingRow?> TryUpdateAsync(PeriodStandingRow read, PeriodStanding next, string? paymentReference, CancellationToken cancellationToken) =>
        database.WriteAsync<PeriodStandingRow?>(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var command = connection.CreateCommand(
                    """
                    UPDATE billing_periods
                    SET status = @status, paid_at_ms = @paid_at_ms, waived_reason = @waived_reason, payment_reference = @reference
                    WHERE shop_id = @shop AND period_start = @start AND invoice_id = @invoice AND status = @expected
                    """,
                    transaction)
                    .With("status", next.Status.ToText()).With("paid_at_ms", next.PaidAt?.ToUnixTimeMilliseconds())
                    .With("waived_reason", next.WaivedReason).With("reference", paymentReference)
                    .With("shop", read.ShopId).With("start", InvoiceBook.Iso(read.Period.Start.ToDateOnly()))
                    .With("invoice", read.InvoiceId).With("expected", read.Status);
                if (await command.ExecuteNonQueryAsync(ct) != 1)
                {
                    return null;
                }

                var stored = read with
                {
                    Status = next.Status.ToText(), PaidAtMs = next.PaidAt?.ToUnixTimeMilliseconds(), WaivedReason = next.WaivedReason, PaymentReference = paymentReference,
                };
                var action = next.Status == PeriodStatus.Paid ? "InvoicePaid" : "InvoiceWaived";
                await audit.AppendAsync(connection, transaction, new AuditRecord(action, "invoices", read.InvoiceId, AuditState(read), AuditState(stored)), ct);
                await transaction.CommitAsync(ct);
                return stored;
            },
            cancellationToken);

    /// <summary>What the audit log keeps of a period's standing.</summary>
    private static string AuditState(PeriodStandingRow row) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["invoice_id"] = row.InvoiceId, ["invoice_number"] = row.InvoiceNumber, ["shop_id"] = row.ShopId,
            ["period_start"] = InvoiceBook.Iso(row.Period.Start.ToDateOnly()), ["status"] = row.Status,
            ["total_minor"] = row.TotalMinor, ["currency"] = row.Currency,
            ["paid_at_ms"] = row.PaidAtMs, ["payment_reference"] = row.PaymentReference, ["waived_reason"] = row.WaivedReason,
        });

    private static PeriodStandingRow Read(DbDataReader r) =>
        new(
            r.GetString(0),
            OpenPeriodRow.ReadPeriod(r, 1, 14),
            r.GetBoolean(4),
            r.GetString(5),
            LocalDateAt(r, 6)?.ToDateOnly(),
            r.IsDBNull(7) ? null : r.GetInt64(7),
            StringAt(r, 8),
            StringAt(r, 9),
            StringAt(r, 10),
            StringAt(r, 11),
            StringAt(r, 12),
            r.IsDBNull(13) ? null : r.GetInt64(13));

    private static LocalDate? LocalDateAt(DbDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : LocalDate.FromDateOnly(DateOnly.Parse(r.GetString(ordinal), CultureInfo.InvariantCulture));

    private static string? StringAt(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
