using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Email;
using Billing.Silo.Metering;
using Billing.Silo.Storage.Sql;
using Billing.Silo.TestClocks;

namespace Billing.Silo.Payments.Collection;

/// <summary>
/// The <c>invoice_collections</c> table. A collection only moves forward from <c>collecting</c>;
/// every change names the status it expects, so a late writer (a second silo's sweep, a retried
/// attempt) finds the row moved and changes nothing.
/// </summary>
public sealed class InvoiceCollectionStore(SqlDatabase database, EmailOutbox emails)
{
    public const int MaxBatchSize = 1_000;

    private const string Columns =
        "invoice_id, customer_id, shop_id, amount_minor, currency, method_id, status, attempts, first_failed_at_ms, next_attempt_at_ms, created_at_ms, updated_at_ms";

    /// <summary>
    /// In the issue's transaction: opens the invoice's collection when its customer has a default
    /// method and something is owed. One statement; true when it opened one.
    /// </summary>
    public static async Task<bool> OpenAsync(
        DbConnection connection, DbTransaction transaction, string invoiceId, string customerId, string shopId, Money amount, long nowMs, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            $"""
            INSERT INTO invoice_collections ({Columns})
            SELECT @invoice_id, @customer_id, @shop_id, @amount_minor, @currency, method_id, 'collecting', 0, NULL, @now_ms, @now_ms, @now_ms
            FROM payment_methods WHERE customer_id = @customer_id AND is_default = TRUE AND removed_at_ms IS NULL AND @amount_minor > 0
            """,
            transaction)
            .With("invoice_id", invoiceId).With("customer_id", customerId).With("shop_id", shopId)
            .With("amount_minor", amount.ToMinorUnits()).With("currency", amount.Currency.Code).With("now_ms", nowMs);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Opens the collection of the customer's issued invoice when it has none (a method saved after the invoice was issued); false when none was opened.</summary>
    public Task<bool> OpenLateAsync(string invoiceId, string customerId, long nowMs, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                    $"""
                    INSERT INTO invoice_collections ({Columns})
                    SELECT i.id, i.customer_id, i.shop_id, i.total_minor, i.currency, m.method_id, 'collecting', 0, NULL, @now_ms, @now_ms, @now_ms
                    FROM invoices i JOIN payment_methods m ON m.customer_id = i.customer_id AND m.is_default = TRUE AND m.removed_at_ms IS NULL
                    WHERE i.id = @invoice_id AND i.customer_id = @customer_id AND i.total_minor > 0
                    ON CONFLICT DO NOTHING
                    """)
                    .With("invoice_id", invoiceId).With("customer_id", customerId).With("now_ms", nowMs);
                return await command.ExecuteNonQueryAsync(ct) == 1;
            },
            cancellationToken);

    public Task<StoredCollection?> GetAsync(string invoiceId, CancellationToken cancellationToken) =>
        database.QueryFirstAsync($"SELECT {Columns} FROM invoice_collections WHERE invoice_id = @invoice_id", c => c.With("invoice_id", invoiceId), Read, cancellationToken);

    /// <summary>Collections whose next attempt is due, oldest first: for the sweep, after a lost reminder.</summary>
    /// <remarks>Test-clock customers' collections are left to their clock's advance.</remarks>
    public Task<IReadOnlyList<string>> DueAsync(long nowMs, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"SELECT invoice_id FROM invoice_collections ic WHERE status = 'collecting' AND next_attempt_at_ms <= @now_ms {TestClockFilter.NotOnClock("ic")} ORDER BY next_attempt_at_ms LIMIT @limit",
            c => c.With("now_ms", nowMs).With("limit", Math.Clamp(limit, 1, MaxBatchSize)), r => r.GetString(0), cancellationToken);

    /// <summary>Suspended collections whose invoice was settled meanwhile (a crash before the reinstatement): for the sweep.</summary>
    public Task<IReadOnlyList<(string InvoiceId, string CustomerId)>> SettledWhileSuspendedAsync(int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync<(string, string)>(
            """
            SELECT c.invoice_id, c.customer_id FROM invoice_collections c JOIN billing_periods p ON p.invoice_id = c.invoice_id
            WHERE c.status = 'suspended' AND p.status IN ('paid', 'waived') LIMIT @limit
            """,
            c => c.With("limit", Math.Clamp(limit, 1, MaxBatchSize)), r => (r.GetString(0), r.GetString(1)), cancellationToken);

    /// <summary>A failed attempt: the count, the first failure, and when the next is due.</summary>
    public Task<bool> RecordFailureAsync(
        string invoiceId, int attempts, DateTimeOffset firstFailedAt, DateTimeOffset nextAttemptAt, DateTimeOffset now, OutgoingEmail? mail, CancellationToken cancellationToken) =>
        UpdateAsync(
            invoiceId, CollectionStatus.Collecting, CollectionStatus.Collecting, now, mail, cancellationToken,
            ", attempts = @attempts, first_failed_at_ms = @first_failed_at_ms, next_attempt_at_ms = @next_at_ms",
            c => c.With("attempts", attempts).With("first_failed_at_ms", firstFailedAt.ToUnixTimeMilliseconds()).With("next_at_ms", nextAttemptAt.ToUnixTimeMilliseconds()));

    /// <summary>Moves the next attempt (an outage, or a debit still processing) without counting an attempt.</summary>
    public Task<bool> DeferAsync(string invoiceId, DateTimeOffset nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(invoiceId, CollectionStatus.Collecting, CollectionStatus.Collecting, now, null, cancellationToken, ", next_attempt_at_ms = @next_at_ms",
            c => c.With("next_at_ms", nextAttemptAt.ToUnixTimeMilliseconds()));

    /// <summary>Ends dunning (paid, suspended) after <paramref name="attempts"/> attempts; <paramref name="mail"/> is queued with the change or not at all.</summary>
    public Task<bool> FinishAsync(string invoiceId, CollectionStatus from, CollectionStatus to, int attempts, DateTimeOffset now, OutgoingEmail? mail, CancellationToken cancellationToken) =>
        UpdateAsync(invoiceId, from, to, now, mail, cancellationToken, ", attempts = @attempts, next_attempt_at_ms = NULL", c => c.With("attempts", attempts));

    public Task<bool> SettleAsync(string invoiceId, CollectionStatus from, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(invoiceId, from, CollectionStatus.Settled, now, null, cancellationToken, ", next_attempt_at_ms = NULL", c => c);

    private Task<bool> UpdateAsync(
        string invoiceId, CollectionStatus from, CollectionStatus to, DateTimeOffset now, OutgoingEmail? mail, CancellationToken cancellationToken, string set, Func<DbCommand, DbCommand> bind) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var command = bind(connection.CreateCommand(
                    $"UPDATE invoice_collections SET status = @to, updated_at_ms = @now_ms{set} WHERE invoice_id = @invoice_id AND status = @from", transaction)
                    .With("to", StoredCollection.StatusName(to)).With("now_ms", now.ToUnixTimeMilliseconds())
                    .With("invoice_id", invoiceId).With("from", StoredCollection.StatusName(from)));
                var moved = await command.ExecuteNonQueryAsync(ct) == 1;
                if (moved && mail is not null)
                {
                    // The mail reports this change: it is queued with it, or not at all.
                    await emails.EnqueueAsync(connection, transaction, mail, ct);
                }

                await transaction.CommitAsync(ct);
                return moved;
            },
            cancellationToken);

    private static StoredCollection Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Money.FromMinorUnits(r.GetInt64(3), Currency.Parse(r.GetString(4))), MeteringStore.ReadGuid(r, 5),
        StoredCollection.ParseStatus(r.GetString(6)), r.GetInt32(7), At(r, 8), At(r, 9),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)));

    private static DateTimeOffset? At(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(ordinal));
}
