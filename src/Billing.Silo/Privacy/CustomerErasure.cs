using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Catalog;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Privacy;

/// <summary>What an erasure did: when the customer was first erased, and what this call changed (nothing, on a repeat).</summary>
public sealed record CustomerErased(
    string CustomerId, DateTimeOffset ErasedAt, bool WasErasedBefore, IReadOnlyList<string> RevokedPrefixes,
    int ShopsPseudonymised, int PaymentMethodsRemoved, int MailsDeleted, int UsageDescriptionsCleared);

/// <summary>
/// Erases a customer's personal data (GDPR art. 17) in one transaction: name, e-mail and shop
/// names pseudonymised and out of search, keys revoked, saved payment details and the payment
/// provider's customer reference removed, card digits and payer names cleared from payments and
/// transfers, mails deleted, usage descriptions cleared, a scheduled renewal cancelled, the states of
/// its audit rows cleared (who did what and when is kept). Kept:
/// issued invoices and credit notes as issued (tax law requires them, with the buyer's name), and
/// the amounts and ids that the books and the ledger need. Idempotent: a repeat changes nothing.
/// </summary>
public sealed class CustomerErasure(SqlDatabase database, TimeProvider time, ILogger<CustomerErasure> logger)
{
    public const string ErasedName = "Erased customer";
    public const string ErasedShopName = "Erased shop";

    public Task<CustomerErased?> EraseAsync(string customerId, CancellationToken cancellationToken)
    {
        if (!CatalogIds.IsWellFormed(customerId, CatalogIds.Customer))
        {
            return Task.FromResult<CustomerErased?>(null);
        }

        return database.WriteAsync(
            async (connection, ct) =>
            {
                var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var read = connection.CreateCommand("SELECT erased_at_ms FROM customers WHERE id = @customer_id", transaction).With("customer_id", customerId);
                var found = await read.ExecuteScalarAsync(ct);
                if (found is null)
                {
                    return null;
                }

                var erasedBeforeMs = found is DBNull ? (long?)null : Convert.ToInt64(found, System.Globalization.CultureInfo.InvariantCulture);
                // Mails first: they are found by the customer's address, which is pseudonymised below.
                var mails = await ExecuteAsync(connection, transaction, $"DELETE FROM email_outbox WHERE {CustomerRows.OfMails}", customerId, nowMs, ct);
                await ExecuteAsync(
                    connection, transaction,
                    "UPDATE customers SET name = @name, email = @email, name_key = NULL, email_key = NULL, erased_at_ms = COALESCE(erased_at_ms, @now_ms) WHERE id = @customer_id",
                    customerId, nowMs, ct, ("name", ErasedName), ("email", $"erased-{customerId}@erased.invalid"));
                var shops = await ExecuteAsync(
                    connection, transaction, "UPDATE shops SET name = @name, name_key = NULL WHERE customer_id = @customer_id AND name <> @name",
                    customerId, nowMs, ct, ("name", ErasedShopName));
                var prefixes = await CatalogStore.RevokeLiveKeysAsync(connection, transaction, CustomerRows.OfShops, c => c.With("customer_id", customerId), nowMs, logger, ct);
                var methods = await ExecuteAsync(
                    connection, transaction,
                    "UPDATE payment_methods SET provider_ref = 'erased', mandate_ref = NULL, brand = NULL, last4 = '', exp_month = NULL, exp_year = NULL, is_default = @no, " +
                    "removed_at_ms = COALESCE(removed_at_ms, @now_ms) WHERE customer_id = @customer_id AND provider_ref <> 'erased'",
                    customerId, nowMs, ct, ("no", false));
                await ExecuteAsync(connection, transaction, "DELETE FROM payment_customers WHERE customer_id = @customer_id", customerId, nowMs, ct);
                await ExecuteAsync(
                    connection, transaction, "UPDATE payments SET card_brand = NULL, card_last4 = NULL, next_action_url = NULL WHERE customer_id = @customer_id", customerId, nowMs, ct);
                await ExecuteAsync(
                    connection, transaction, $"UPDATE bank_transfers SET payer_name = NULL, payer_iban = NULL WHERE {CustomerRows.OfInvoices}", customerId, nowMs, ct);
                var usage = await ExecuteAsync(
                    connection, transaction, "UPDATE usage_events SET description = NULL WHERE customer_id = @customer_id AND description IS NOT NULL", customerId, nowMs, ct);
                // The one exception to the audit log's append-only rule: who did what and when stays, the states with the personal data go.
                await ExecuteAsync(
                    connection, transaction, $"UPDATE audit_log SET before_json = NULL, after_json = NULL WHERE ({CustomerRows.OfAudit}) AND (before_json IS NOT NULL OR after_json IS NOT NULL)",
                    customerId, nowMs, ct);
                await ExecuteAsync(
                    connection, transaction,
                    "UPDATE plan_renewals SET status = 'cancelled', ended_reason = 'customer_erased', updated_at_ms = @now_ms WHERE customer_id = @customer_id AND status = 'scheduled'",
                    customerId, nowMs, ct);
                await transaction.CommitAsync(ct);
                return new CustomerErased(
                    customerId, DateTimeOffset.FromUnixTimeMilliseconds(erasedBeforeMs ?? nowMs), erasedBeforeMs is not null, prefixes, shops, methods, mails, usage);
            },
            cancellationToken);
    }

    private static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction transaction, string sql, string customerId, long nowMs, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand(sql, transaction).With("customer_id", customerId).With("now_ms", nowMs);
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
