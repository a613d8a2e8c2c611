using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Metering;

/// <summary>
/// The <c>account_suspensions</c> rows: one per invoice that suspends its customer. Written only by
/// the customer's subscription grain, which holds the count in memory for its consumes; each write
/// answers the count it left, read in the same transaction.
/// </summary>
public sealed class AccountSuspensions(SqlDatabase database)
{
    /// <summary>Suspends the customer for the invoice (again: no change); the number of suspending invoices after it.</summary>
    public Task<int> SuspendAsync(string customerId, string invoiceId, long nowMs, CancellationToken cancellationToken) =>
        ChangeAsync(
            "INSERT INTO account_suspensions (customer_id, invoice_id, suspended_at_ms) VALUES (@customer_id, @invoice_id, @now_ms) ON CONFLICT DO NOTHING",
            customerId, invoiceId, nowMs, cancellationToken);

    /// <summary>Lifts the invoice's suspension (none: no change); the number of suspending invoices still left.</summary>
    public Task<int> ReinstateAsync(string customerId, string invoiceId, CancellationToken cancellationToken) =>
        ChangeAsync("DELETE FROM account_suspensions WHERE customer_id = @customer_id AND invoice_id = @invoice_id", customerId, invoiceId, 0, cancellationToken);

    /// <summary>The invoices that suspend the customer, oldest first.</summary>
    public Task<IReadOnlyList<string>> InvoicesAsync(string customerId, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            "SELECT invoice_id FROM account_suspensions WHERE customer_id = @customer_id ORDER BY suspended_at_ms, invoice_id",
            c => c.With("customer_id", customerId), r => r.GetString(0), cancellationToken);

    private Task<int> ChangeAsync(string sql, string customerId, string invoiceId, long nowMs, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using (var change = connection.CreateCommand(sql, transaction).With("customer_id", customerId).With("invoice_id", invoiceId).With("now_ms", nowMs))
                {
                    await change.ExecuteNonQueryAsync(ct);
                }

                await using var count = connection.CreateCommand("SELECT COUNT(*) FROM account_suspensions WHERE customer_id = @customer_id", transaction)
                    .With("customer_id", customerId);
                var left = (int)(await count.ScalarInt64Async(ct) ?? 0);
                await transaction.CommitAsync(ct);
                return left;
            },
            cancellationToken);
}
