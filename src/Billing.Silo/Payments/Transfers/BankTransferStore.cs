using System.Data.Common;
using System.Globalization;
using Billing.Domain.Payments;
using Billing.Silo.Invoicing;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Payments.Transfers;

/// <summary>A transfer as stored; <see cref="Source"/> is "manual" (the admin API) or "statement".</summary>
public sealed record StoredTransfer(
    string BankReference, string InvoiceId, long AmountMinor, string Currency, DateOnly ValueDate,
    string? PayerName, string? PayerIban, string Source, long RecordedAtMs);

public enum TransferInsert
{
    Inserted,
    Duplicate,
    ExceedsOpen,
}

/// <summary>
/// The transfers of invoices and what each invoice has received. A transfer and the move of its
/// invoice's received sum are one transaction; the sum's conditional upsert is where two concurrent
/// transfers to the same invoice queue, so together they never pass its total.
/// </summary>
public sealed class BankTransferStore(SqlDatabase database)
{
    public const int MaxTransfersListed = 100;

    /// <summary>See the migration: the invoice number's letters and digits, upper case, as SQL.</summary>
    private const string ReferenceBase = "UPPER(REPLACE(REPLACE(REPLACE(REPLACE(number, '-', ''), '_', ''), '/', ''), '.', ''))";

    private const string Columns = "bank_reference, invoice_id, amount_minor, currency, value_date, payer_name, payer_iban, source, recorded_at_ms";

    public Task<StoredTransfer?> FindAsync(string bankReference, CancellationToken cancellationToken) =>
        database.QueryFirstAsync($"SELECT {Columns} FROM bank_transfers WHERE bank_reference = @reference", c => c.With("reference", bankReference), Read, cancellationToken);

    /// <summary>The invoice's transfers, the last recorded first (then the latest value date): the first one is the payment that settled it.</summary>
    public Task<IReadOnlyList<StoredTransfer>> InvoiceTransfersAsync(string invoiceId, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"SELECT {Columns} FROM bank_transfers WHERE invoice_id = @invoice ORDER BY recorded_at_ms DESC, value_date DESC, bank_reference DESC LIMIT @limit",
            c => c.With("invoice", invoiceId).With("limit", limit), Read, cancellationToken);

    public Task<long> ReceivedMinorAsync(string invoiceId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT received_minor FROM bank_transfer_totals WHERE invoice_id = @invoice").With("invoice", invoiceId);
                return await command.ScalarInt64Async(ct) ?? 0;
            },
            cancellationToken);

    /// <summary>The ids of the invoices (at most two: more than one is ambiguous) whose number has the letters and digits <paramref name="reference"/>'s base has.</summary>
    public Task<IReadOnlyList<(string Id, string Number)>> InvoicesNamedByAsync(CreditorReference reference, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"SELECT id, number FROM invoices WHERE {ReferenceBase} = @base ORDER BY id LIMIT 2",
            c => c.With("base", reference.Base), r => (r.GetString(0), r.GetString(1)), cancellationToken);

    /// <summary>
    /// Inserts the transfer and adds it to its invoice's received sum unless that would pass
    /// <paramref name="totalMinor"/>; a transfer already stored under its bank reference changes nothing.
    /// </summary>
    public Task<(TransferInsert Outcome, long ReceivedMinor)> TryInsertAsync(StoredTransfer transfer, long totalMinor, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var insert = connection.CreateCommand(
                    $"INSERT INTO bank_transfers ({Columns}) VALUES (@reference, @invoice, @amount, @currency, @value_date, @payer_name, @payer_iban, @source, @now_ms) ON CONFLICT (bank_reference) DO NOTHING",
                    transaction)
                    .With("reference", transfer.BankReference).With("invoice", transfer.InvoiceId).With("amount", transfer.AmountMinor).With("currency", transfer.Currency)
                    .With("value_date", InvoiceBook.Iso(transfer.ValueDate)).With("payer_name", transfer.PayerName).With("payer_iban", transfer.PayerIban)
                    .With("source", transfer.Source).With("now_ms", transfer.RecordedAtMs);
                if (await insert.ExecuteNonQueryAsync(ct) == 0)
                {
                    return (TransferInsert.Duplicate, 0L);
                }

                await using var add = connection.CreateCommand(
                    """
                    INSERT INTO bank_transfer_totals (invoice_id, received_minor) VALUES (@invoice, @amount)
                    ON CONFLICT (invoice_id) DO UPDATE SET received_minor = bank_transfer_totals.received_minor + excluded.received_minor
                    WHERE bank_transfer_totals.received_minor + excluded.received_minor <= @total
                    RETURNING received_minor
                    """,
                    transaction).With("invoice", transfer.InvoiceId).With("amount", transfer.AmountMinor).With("total", totalMinor);
                if (await add.ScalarInt64Async(ct) is not { } received)
                {
                    return (TransferInsert.ExceedsOpen, 0L); // disposing the transaction rolls the insert back
                }

                await transaction.CommitAsync(ct);
                return (TransferInsert.Inserted, received);
            },
            cancellationToken);

    private static StoredTransfer Read(DbDataReader r) =>
        new(
            r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), DateOnly.Parse(r.GetString(4), CultureInfo.InvariantCulture),
            r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7), r.GetInt64(8));
}
