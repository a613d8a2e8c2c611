using System.Data.Common;
using System.Text.Json;
using Billing.Domain;
using Billing.Silo.Audit;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// The money a credit note gives back, as stored: <see cref="Status"/> is pending until the
/// provider answers, then succeeded or failed; a refund by hand is manual from the start.
/// </summary>
public sealed record RefundRow(
    string CreditNoteId, string InvoiceId, string Method, string? Provider, string? PaymentRef, string? RefundRef, Money Amount, string Status,
    string? FailureCode, long CreatedAtMs, long UpdatedAtMs)
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Manual = "manual";

    public bool AwaitsProvider => Status == Pending;

    public static RefundRow Issued(CreditNoteDocument note, RefundMethod method, long nowMs) =>
        new(
            note.Id, note.InvoiceId, method.IsManual ? "manual" : "provider", method.Provider, method.PaymentRef, null,
            new Money(note.Total, Currency.Parse(note.Currency)), method.IsManual ? Manual : Pending, null, nowMs, nowMs);
}

/// <summary>A credit note with its refund, and the hash of the request that issued it (for Idempotency-Key replays).</summary>
public sealed record IssuedCreditNote(CreditNoteDocument Document, RefundRow Refund, string? RequestHash = null);

public sealed partial class CreditNoteBook
{
    public const int MaxNotesPerInvoiceListed = 100;

    private const string Select =
        """
        SELECT n.document_json, n.request_hash, r.method, r.provider, r.payment_ref, r.refund_ref, r.amount_minor, r.currency, r.status, r.failure_code,
               r.created_at_ms, r.updated_at_ms
        FROM credit_notes n JOIN refunds r ON r.credit_note_id = n.id
        """;

    public Task<IssuedCreditNote?> NoteAsync(string creditNoteId, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(creditNoteId, CatalogIds.CreditNote)
            ? database.QueryFirstAsync($"{Select} WHERE n.id = @id", c => c.With("id", creditNoteId), Read, cancellationToken)
            : Task.FromResult<IssuedCreditNote?>(null);

    /// <summary>The invoice's credit notes, oldest first (at most <see cref="MaxNotesPerInvoiceListed"/>).</summary>
    public Task<IReadOnlyList<IssuedCreditNote>> InvoiceNotesAsync(string invoiceId, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"{Select} WHERE n.invoice_id = @invoice ORDER BY n.issued_at_ms, n.seq_number LIMIT @limit",
            c => c.With("invoice", invoiceId).With("limit", MaxNotesPerInvoiceListed), Read, cancellationToken);

    /// <summary>The note an Idempotency-Key issued on the invoice, if any: for a retry to find before it locks anything.</summary>
    public Task<IssuedCreditNote?> ByKeyAsync(string invoiceId, string idempotencyKey, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            $"{Select} WHERE n.invoice_id = @invoice AND n.idempotency_key = @key", c => c.With("invoice", invoiceId).With("key", idempotencyKey), Read, cancellationToken);

    /// <summary>
    /// Records the provider's answer to a pending refund, audited in the same transaction (money
    /// went back, or did not); false when it was recorded already (a concurrent retry: that answer stands).
    /// </summary>
    public Task<bool> RecordRefundAsync(string creditNoteId, string status, string? refundRef, string? failureCode, Instant now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var command = connection.CreateCommand(
                    """
                    UPDATE refunds SET status = @status, refund_ref = COALESCE(@refund_ref, refund_ref), failure_code = @failure_code, updated_at_ms = @now_ms
                    WHERE credit_note_id = @id AND status = 'pending'
                    RETURNING invoice_id, method, provider, amount_minor, currency
                    """,
                    transaction)
                    .With("status", status).With("refund_ref", refundRef).With("failure_code", failureCode)
                    .With("now_ms", now.ToUnixTimeMilliseconds()).With("id", creditNoteId);
                var refund = await ReadRefundAsync(command, creditNoteId, ct);
                if (refund is null)
                {
                    return false;
                }

                var before = new Dictionary<string, object?>(refund) { ["status"] = RefundRow.Pending, ["provider_reference"] = null, ["failure_code"] = null };
                var after = new Dictionary<string, object?>(refund) { ["status"] = status, ["provider_reference"] = refundRef, ["failure_code"] = failureCode };
                var action = status == RefundRow.Succeeded ? "RefundSucceeded" : "RefundFailed";
                await audit.AppendAsync(
                    connection, transaction, new AuditRecord(action, AuditResource, (string)refund["invoice_id"]!, JsonSerializer.Serialize(before), JsonSerializer.Serialize(after)), ct);
                await transaction.CommitAsync(ct);
                return true;
            },
            cancellationToken);

    /// <summary>The refund's audit state from the updated row; null when no pending refund moved.</summary>
    private static async Task<Dictionary<string, object?>?> ReadRefundAsync(DbCommand command, string creditNoteId, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var currency = Currency.Parse(reader.GetString(4));
        return new Dictionary<string, object?>
        {
            ["credit_note_id"] = creditNoteId, ["invoice_id"] = reader.GetString(0), ["method"] = reader.GetString(1),
            ["provider"] = Text(reader, 2), ["amount"] = Money.FromMinorUnits(reader.GetInt64(3), currency).Amount, ["currency"] = currency.Code,
        };
    }

    /// <summary>What the audit log keeps of an issued note: its number and amounts and how the money goes back (no personal data).</summary>
    private static string AuditState(CreditNoteDocument note, RefundRow refund) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["credit_note_id"] = note.Id, ["number"] = note.Number, ["invoice_number"] = note.InvoiceNumber, ["reason"] = note.Reason,
            ["subtotal"] = note.Subtotal, ["vat"] = note.Vat, ["total"] = note.Total, ["currency"] = note.Currency,
            ["refund"] = new Dictionary<string, object?> { ["method"] = refund.Method, ["provider"] = refund.Provider, ["status"] = refund.Status },
        });

    private static async Task<IssuedCreditNote?> ByKeyAsync(DbConnection connection, DbTransaction transaction, string invoiceId, string key, CancellationToken ct)
    {
        await using var command = connection.CreateCommand($"{Select} WHERE n.invoice_id = @invoice AND n.idempotency_key = @key", transaction)
            .With("invoice", invoiceId).With("key", key);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static async Task InsertRefundAsync(DbConnection connection, DbTransaction transaction, RefundRow refund, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            """
            INSERT INTO refunds (credit_note_id, invoice_id, method, provider, payment_ref, refund_ref, amount_minor, currency, status, failure_code, created_at_ms, updated_at_ms)
            VALUES (@id, @invoice, @method, @provider, @payment_ref, NULL, @amount, @currency, @status, NULL, @now_ms, @now_ms)
            """,
            transaction)
            .With("id", refund.CreditNoteId).With("invoice", refund.InvoiceId).With("method", refund.Method).With("provider", refund.Provider)
            .With("payment_ref", refund.PaymentRef).With("amount", refund.Amount.ToMinorUnits()).With("currency", refund.Amount.Currency.Code)
            .With("status", refund.Status).With("now_ms", refund.CreatedAtMs);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static IssuedCreditNote Read(DbDataReader r)
    {
        var document = System.Text.Json.JsonSerializer.Deserialize<CreditNoteDocument>(r.GetString(0), InvoiceBook.DocumentJson)
            ?? throw new InvariantViolationException("A credit note row holds no document.");
        var refund = new RefundRow(
            document.Id, document.InvoiceId, r.GetString(2), Text(r, 3), Text(r, 4), Text(r, 5), Money.FromMinorUnits(r.GetInt64(6), Currency.Parse(r.GetString(7))),
            r.GetString(8), Text(r, 9), r.GetInt64(10), r.GetInt64(11));
        return new IssuedCreditNote(document, refund, Text(r, 1));
    }

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
