using System.Data.Common;
using System.Text.Json;
using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Audit;
using Billing.Silo.Storage.Sql;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Invoicing;

public enum CreditNoteOutcome
{
    Issued,

    /// <summary>The admin's Idempotency-Key issued a note before, for the same request: that note.</summary>
    Replayed,
    IdempotencyKeyReused,
    InvoiceNotFound,
    InvoiceNotPaid,
    InvalidAmount,
    ExceedsInvoiceTotal,
}

/// <summary>How the money goes back: through the provider's payment <paramref name="PaymentRef"/>, or by hand (<paramref name="Provider"/> null).</summary>
public sealed record RefundMethod(string? Provider, string? PaymentRef)
{
    public static RefundMethod Manual { get; } = new(null, null);

    public bool IsManual => Provider is null;
}

/// <summary>A refund asked of a paid invoice: <paramref name="Amount"/> with VAT (null: all still refundable).</summary>
public sealed record CreditNoteRequest(string InvoiceId, decimal? Amount, string Reason, string? IdempotencyKey, string RequestHash, RefundMethod Method);

/// <summary>What issuing came to: the note (issued or replayed), or why none; <paramref name="Refundable"/> is what the invoice had left to credit.</summary>
public sealed record CreditNoteResult(CreditNoteOutcome Outcome, IssuedCreditNote? Note, Money? Refundable = null);

/// <summary>
/// Credit notes and their refunds. Issuing is one transaction: the invoice's row is locked (so two
/// refunds of one invoice are checked one after the other against what is committed), the invoice
/// must be paid, the notes issued so far plus this one may not credit more than its total, the
/// number is drawn from the notes' own counter row and the note and its refund (pending, or manual)
/// are written. A rollback leaves nothing, and no gap in the numbers; the counter row is locked last
/// for the shortest time, as the invoices' is.
/// </summary>
public sealed partial class CreditNoteBook(SqlDatabase database, AuditLog audit, IOptions<BillingOptions> options)
{
    // Credit notes and refunds are recorded against their invoice, where an operator looks for them.
    private const string AuditResource = "invoices";

    private readonly BillingOptions settings = options.Value;
    private static readonly CreditNoteNumberFormat TestClockNumberFormat = CreditNoteNumberFormat.Create("TEST-CN-");

    private readonly CreditNoteNumberFormat numberFormat = options.Value.ParsedCreditNotePrefix;

    public Task<CreditNoteResult> IssueAsync(CreditNoteRequest request, Instant now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var result = await DecideAsync(connection, transaction, request, now, ct);
                if (result.Outcome == CreditNoteOutcome.Issued)
                {
                    await transaction.CommitAsync(ct);
                }

                return result;
            },
            cancellationToken);

    private async Task<CreditNoteResult> DecideAsync(DbConnection connection, DbTransaction transaction, CreditNoteRequest request, Instant now, CancellationToken ct)
    {
        await using (var lockInvoice = connection.CreateCommand("UPDATE invoices SET issued_at_ms = issued_at_ms WHERE id = @id", transaction).With("id", request.InvoiceId))
        {
            if (await lockInvoice.ExecuteNonQueryAsync(ct) != 1)
            {
                return new CreditNoteResult(CreditNoteOutcome.InvoiceNotFound, null);
            }
        }

        if (request.IdempotencyKey is { } key && await ByKeyAsync(connection, transaction, request.InvoiceId, key, ct) is { } earlier)
        {
            return Replay(earlier, request.RequestHash);
        }

        var (invoice, status) = await InvoiceAndStatusAsync(connection, transaction, request.InvoiceId, ct);
        if (status != PeriodStatus.Paid.ToText())
        {
            return new CreditNoteResult(CreditNoteOutcome.InvoiceNotPaid, null);
        }

        var invoiceAmounts = CreditNoteDocument.AmountsOf(invoice);
        var credited = await CreditedAsync(connection, transaction, request.InvoiceId, invoiceAmounts.Currency, ct);
        var refundable = CreditNoteRules.Refundable(invoiceAmounts, credited);
        var gross = request.Amount is { } asked ? new Money(asked, invoiceAmounts.Currency) : refundable.Total;
        if (!CreditNoteRules.TrySplit(invoiceAmounts, credited, gross, settings.RoundingPolicy, out var amounts, out var refusal))
        {
            // Nothing left to credit and no amount named: as much a refund beyond the total as any other.
            var outcome = refusal == CreditRefusal.InvalidAmount && request.Amount is not null ? CreditNoteOutcome.InvalidAmount : CreditNoteOutcome.ExceedsInvoiceTotal;
            return new CreditNoteResult(outcome, null, refundable.Total);
        }

        var issueDate = now.InZone(DateTimeZoneProviders.Tzdb[invoice.TimeZone]).Date.ToDateOnly();
        var draft = CreditNoteDocument.Draft(invoice, CatalogIds.New(CatalogIds.CreditNote), issueDate, request.Reason, amounts);
        var year = now.InZone(DateTimeZoneProviders.Tzdb[settings.IssuerTimeZone]).Year;
        var issuer = await OnTestClockAsync(connection, transaction, invoice.CustomerId, ct) ? settings.TestClockIssuer : settings.IssuerName;
        var sequence = await NextNumberAsync(connection, transaction, issuer, year, ct);
        var document = draft with { Number = (issuer == settings.IssuerName ? numberFormat : TestClockNumberFormat).Format(year, sequence) };
        // The domain's credit note checks that it adds up; a breach rolls the refund back.
        _ = document.ToDomain();
        await InsertNoteAsync(connection, transaction, document, issuer, year, sequence, request, now, ct);
        var refund = RefundRow.Issued(document, request.Method, now.ToUnixTimeMilliseconds());
        await InsertRefundAsync(connection, transaction, refund, ct);
        await audit.AppendAsync(connection, transaction, new AuditRecord("CreditNoteIssued", AuditResource, document.InvoiceId, null, AuditState(document, refund)), ct);
        return new CreditNoteResult(CreditNoteOutcome.Issued, new IssuedCreditNote(document, refund), refundable.Total - amounts.Total);
    }

    private static CreditNoteResult Replay(IssuedCreditNote earlier, string requestHash) =>
        earlier.RequestHash == requestHash
            ? new CreditNoteResult(CreditNoteOutcome.Replayed, earlier)
            : new CreditNoteResult(CreditNoteOutcome.IdempotencyKeyReused, earlier);

    private static async Task<(InvoiceDocument Invoice, string? Status)> InvoiceAndStatusAsync(
        DbConnection connection, DbTransaction transaction, string invoiceId, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            "SELECT i.document_json, p.status FROM invoices i LEFT JOIN billing_periods p ON p.invoice_id = i.id WHERE i.id = @id", transaction).With("id", invoiceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (InvoiceBook.ParseDocument(reader.GetString(0)), reader.IsDBNull(1) ? null : reader.GetString(1))
            : throw new InvariantViolationException($"Invoice {invoiceId} was locked but cannot be read.");
    }

    private static async Task<CreditNoteAmounts> CreditedAsync(DbConnection connection, DbTransaction transaction, string invoiceId, Currency currency, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            "SELECT COALESCE(SUM(subtotal_minor), 0), COALESCE(SUM(vat_minor), 0) FROM credit_notes WHERE invoice_id = @id", transaction).With("id", invoiceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new CreditNoteAmounts(Money.FromMinorUnits(reader.GetInt64(0), currency), Money.FromMinorUnits(reader.GetInt64(1), currency))
            : CreditNoteAmounts.Zero(currency);
    }

    /// <summary>
    /// Whether the invoice's customer lives on a test clock: its notes are numbered in a series of their
    /// own (TEST-CN-2026-000001…), as its invoices are, so deleting the clock leaves no gap in the real one.
    /// </summary>
    private static async Task<bool> OnTestClockAsync(DbConnection connection, DbTransaction transaction, string customerId, CancellationToken ct)
    {
        await using var command = connection.CreateCommand("SELECT COUNT(*) FROM customers WHERE id = @id AND test_clock_id IS NOT NULL", transaction)
            .With("id", customerId);
        return await command.ScalarInt64Async(ct) > 0;
    }

    // The next number of the issuer's year; the counter row stays locked until the commit.
    private async Task<long> NextNumberAsync(DbConnection connection, DbTransaction transaction, string issuer, int year, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            """
            INSERT INTO credit_note_counters (issuer, year, last_number) VALUES (@issuer, @year, 1)
            ON CONFLICT (issuer, year) DO UPDATE SET last_number = credit_note_counters.last_number + 1
            RETURNING last_number
            """,
            transaction).With("issuer", issuer).With("year", year);
        var number = await command.ScalarInt64Async(ct) ?? throw new InvariantViolationException("The credit note counter returned no number.");
        return number <= CreditNoteNumberFormat.MaxSequence
            ? number
            : throw new InvariantViolationException($"Credit note number {number} of {year} is beyond {CreditNoteNumberFormat.MaxSequence}.");
    }

    private async Task InsertNoteAsync(
        DbConnection connection, DbTransaction transaction, CreditNoteDocument document, string issuer, int year, long sequence, CreditNoteRequest request, Instant now,
        CancellationToken ct)
    {
        var currency = Currency.Parse(document.Currency);
        await using var command = connection.CreateCommand(
            """
            INSERT INTO credit_notes (id, invoice_id, shop_id, customer_id, issuer, year, seq_number, number, currency, subtotal_minor, vat_minor, total_minor,
                                      idempotency_key, request_hash, issued_at_ms, document_json)
            VALUES (@id, @invoice, @shop, @customer, @issuer, @year, @seq, @number, @currency, @subtotal, @vat, @total, @key, @hash, @now_ms, @document)
            """,
            transaction)
            .With("id", document.Id).With("invoice", document.InvoiceId).With("shop", document.ShopId).With("customer", document.CustomerId)
            .With("issuer", issuer).With("year", year).With("seq", sequence).With("number", document.Number).With("currency", document.Currency)
            .With("subtotal", new Money(document.Subtotal, currency).ToMinorUnits()).With("vat", new Money(document.Vat, currency).ToMinorUnits())
            .With("total", new Money(document.Total, currency).ToMinorUnits()).With("key", request.IdempotencyKey).With("hash", request.RequestHash)
            .With("now_ms", now.ToUnixTimeMilliseconds()).With("document", JsonSerializer.Serialize(document, InvoiceBook.DocumentJson));
        await command.ExecuteNonQueryAsync(ct);
    }
}
