using System.Data.Common;
using Billing.Silo.Metering;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Payments.Methods;

/// <summary>The <c>payment_methods</c> and <c>payment_customers</c> tables. A customer has at most one default among its methods.</summary>
public sealed class PaymentMethodStore(SqlDatabase database)
{
    /// <summary>Saved methods a customer may hold at once.</summary>
    public const int MaxMethodsPerCustomer = 20;

    private const string Select = """
        SELECT m.method_id, m.customer_id, m.kind, m.provider, c.provider_ref, m.provider_ref, m.mandate_ref, m.brand, m.last4,
               m.exp_month, m.exp_year, m.is_default, m.created_at_ms
        FROM payment_methods m LEFT JOIN payment_customers c ON c.customer_id = m.customer_id AND c.provider = m.provider
        """;

    public Task<string?> ProviderCustomerAsync(string customerId, string provider, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            "SELECT provider_ref FROM payment_customers WHERE customer_id = @customer_id AND provider = @provider",
            c => c.With("customer_id", customerId).With("provider", provider), r => r.GetString(0), cancellationToken);

    /// <summary>The customer's methods in use, oldest first.</summary>
    public Task<IReadOnlyList<StoredPaymentMethod>> ListAsync(string customerId, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"{Select} WHERE m.customer_id = @customer_id AND m.removed_at_ms IS NULL ORDER BY m.created_at_ms, m.method_id LIMIT {MaxMethodsPerCustomer}",
            c => c.With("customer_id", customerId), Read, cancellationToken);

    /// <summary>A method by id, removed ones included: an attempt charges the method its collection was opened with.</summary>
    public Task<StoredPaymentMethod?> GetAsync(Guid methodId, CancellationToken cancellationToken) =>
        database.QueryFirstAsync($"{Select} WHERE m.method_id = @method_id", c => c.With("method_id", database.GuidParameter(methodId)), Read, cancellationToken);

    public Task<StoredPaymentMethod?> DefaultAsync(string customerId, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            $"{Select} WHERE m.customer_id = @customer_id AND m.is_default = TRUE AND m.removed_at_ms IS NULL",
            c => c.With("customer_id", customerId), Read, cancellationToken);

    /// <summary>Stores the method (and the provider's customer, first time); a default one takes the default from the others.</summary>
    public Task InsertAsync(StoredPaymentMethod method, long nowMs, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO payment_customers (customer_id, provider, provider_ref, created_at_ms)
                    VALUES (@customer_id, @provider, @customer_ref, @now_ms) ON CONFLICT DO NOTHING
                    """, c => c.With("customer_id", method.CustomerId).With("provider", method.Provider).With("customer_ref", method.ProviderCustomerRef).With("now_ms", nowMs), ct);
                if (method.IsDefault)
                {
                    await ClearDefaultAsync(connection, transaction, method.CustomerId, ct);
                }

                await ExecuteAsync(connection, transaction, """
                    INSERT INTO payment_methods (method_id, customer_id, kind, provider, provider_ref, mandate_ref, brand, last4, exp_month, exp_year, is_default, created_at_ms)
                    VALUES (@method_id, @customer_id, @kind, @provider, @provider_ref, @mandate_ref, @brand, @last4, @exp_month, @exp_year, @is_default, @now_ms)
                    """,
                    c => c.With("method_id", database.GuidParameter(method.MethodId)).With("customer_id", method.CustomerId).With("kind", StoredPaymentMethod.KindName(method.Kind))
                        .With("provider", method.Provider).With("provider_ref", method.ProviderRef).With("mandate_ref", method.MandateRef).With("brand", method.Brand)
                        .With("last4", method.Last4).With("exp_month", method.ExpiryMonth).With("exp_year", method.ExpiryYear).With("is_default", method.IsDefault).With("now_ms", nowMs),
                    ct);
                await transaction.CommitAsync(ct);
                return 0;
            },
            cancellationToken);

    /// <summary>Makes the customer's method the default; false when the customer has no such method in use.</summary>
    public Task<bool> MakeDefaultAsync(string customerId, Guid methodId, CancellationToken cancellationToken) =>
        ChangeAsync(customerId, methodId, "UPDATE payment_methods SET is_default = TRUE", clearDefault: true, cancellationToken);

    /// <summary>Stops using the method (kept for the attempts that charged it); false when the customer has no such method in use.</summary>
    public Task<bool> RemoveAsync(string customerId, Guid methodId, long nowMs, CancellationToken cancellationToken) =>
        ChangeAsync(customerId, methodId, $"UPDATE payment_methods SET is_default = FALSE, removed_at_ms = {nowMs}", clearDefault: false, cancellationToken);

    private Task<bool> ChangeAsync(string customerId, Guid methodId, string update, bool clearDefault, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                if (clearDefault)
                {
                    await ClearDefaultAsync(connection, transaction, customerId, ct);
                }

                await using var command = connection.CreateCommand(
                    $"{update} WHERE method_id = @method_id AND customer_id = @customer_id AND removed_at_ms IS NULL", transaction)
                    .With("method_id", database.GuidParameter(methodId)).With("customer_id", customerId);
                var changed = await command.ExecuteNonQueryAsync(ct) == 1;
                if (changed)
                {
                    await transaction.CommitAsync(ct);
                }

                return changed;
            },
            cancellationToken);

    private static Task ClearDefaultAsync(DbConnection connection, DbTransaction transaction, string customerId, CancellationToken ct) =>
        ExecuteAsync(connection, transaction, "UPDATE payment_methods SET is_default = FALSE WHERE customer_id = @customer_id AND is_default = TRUE", c => c.With("customer_id", customerId), ct);

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, Func<DbCommand, DbCommand> bind, CancellationToken ct)
    {
        await using var command = bind(connection.CreateCommand(sql, transaction));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static StoredPaymentMethod Read(DbDataReader r) => new(
        MeteringStore.ReadGuid(r, 0), r.GetString(1), StoredPaymentMethod.ParseKind(r.GetString(2)), r.GetString(3), Text(r, 4), r.GetString(5), Text(r, 6),
        Text(r, 7), r.GetString(8), r.IsDBNull(9) ? null : r.GetInt32(9), r.IsDBNull(10) ? null : r.GetInt32(10), r.GetBoolean(11),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)));

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
