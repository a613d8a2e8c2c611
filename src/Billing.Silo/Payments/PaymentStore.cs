using System.Text.Json;
using Billing.Silo.Audit;
using Billing.Silo.Telemetry;
using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Metering;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Payments;

/// <summary>The <c>payments</c> table: a payment is written pending before the provider is called, then moves on once.</summary>
public sealed class PaymentStore(SqlDatabase database, BillingMetrics metrics, AuditLog audit)
{
    public const int MaxPageSize = 100;

    private const string Columns =
        "payment_id, customer_id, purpose, plan_id, amount_minor, currency, status, provider, provider_ref, failure_code, decline_code, " +
        "card_brand, card_last4, idempotency_key, request_hash, created_at_ms, updated_at_ms, granted_at_ms, invoice_id, method_id, next_action_url";

    /// <summary>False when the customer already has a payment under the same idempotency key (a concurrent retry).</summary>
    public Task<bool> InsertAsync(StoredPayment p, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand($"""
                    INSERT INTO payments ({Columns})
                    VALUES (@payment_id, @customer_id, @purpose, @plan_id, @amount_minor, @currency, @status, @provider, @provider_ref, @failure_code,
                            @decline_code, @card_brand, @card_last4, @idempotency_key, @request_hash, @created_at_ms, @updated_at_ms, @granted_at_ms, @invoice_id, @method_id, @next_action_url)
                    ON CONFLICT DO NOTHING
                    """)
                    .With("payment_id", Id(p.PaymentId)).With("customer_id", p.CustomerId).With("purpose", p.Purpose).With("plan_id", p.PlanId)
                    .With("amount_minor", p.Amount.ToMinorUnits()).With("currency", p.Amount.Currency.Code).With("status", StoredPayment.StatusName(p.Status))
                    .With("provider", p.Provider).With("provider_ref", p.ProviderRef).With("failure_code", p.FailureCode).With("decline_code", p.DeclineCode)
                    .With("card_brand", p.CardBrand).With("card_last4", p.CardLast4).With("idempotency_key", p.IdempotencyKey).With("request_hash", p.RequestHash)
                    .With("created_at_ms", p.CreatedAt.ToUnixTimeMilliseconds()).With("updated_at_ms", p.UpdatedAt.ToUnixTimeMilliseconds())
                    .With("granted_at_ms", p.GrantedAt?.ToUnixTimeMilliseconds()).With("invoice_id", p.InvoiceId)
                    .With("method_id", p.MethodId is { } methodId ? Id(methodId) : null).With("next_action_url", p.NextActionUrl);
                return await command.ExecuteNonQueryAsync(ct) == 1;
            },
            cancellationToken);

    public Task<StoredPayment?> FindByIdempotencyKeyAsync(string customerId, string idempotencyKey, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            $"SELECT {Columns} FROM payments WHERE customer_id = @customer_id AND idempotency_key = @key",
            c => c.With("customer_id", customerId).With("key", idempotencyKey), Read, cancellationToken);

    /// <summary>The customer's payment, or null: another customer's payment is as absent as a missing one.</summary>
    public Task<StoredPayment?> GetAsync(string customerId, Guid paymentId, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            $"SELECT {Columns} FROM payments WHERE payment_id = @payment_id AND customer_id = @customer_id",
            c => c.With("payment_id", Id(paymentId)).With("customer_id", customerId), Read, cancellationToken);

    /// <summary>A payment by the provider's reference (a PaymentIntent's or a PayPal order's id), whoever's it is: for webhooks and PayPal's return.</summary>
    public Task<StoredPayment?> FindByProviderRefAsync(string providerRef, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            $"SELECT {Columns} FROM payments WHERE provider_ref = @provider_ref",
            c => c.With("provider_ref", providerRef), Read, cancellationToken);

    /// <summary>A payment by id, whoever's it is: for the provider's webhooks and the sweep.</summary>
    public Task<StoredPayment?> FindAsync(Guid paymentId, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            $"SELECT {Columns} FROM payments WHERE payment_id = @payment_id",
            c => c.With("payment_id", Id(paymentId)), Read, cancellationToken);

    public Task<bool> WasEventAppliedAsync(string eventId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT COUNT(*) FROM stripe_events WHERE event_id = @event_id").With("event_id", eventId);
                return await command.ScalarInt64Async(ct) > 0;
            },
            cancellationToken);

    /// <summary>Notes an applied event; false when it was noted already (a concurrent delivery).</summary>
    public Task<bool> NoteEventAppliedAsync(string eventId, string eventType, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                    "INSERT INTO stripe_events (event_id, event_type, received_at_ms) VALUES (@event_id, @event_type, @now) ON CONFLICT DO NOTHING")
                    .With("event_id", eventId).With("event_type", eventType).With("now", now.ToUnixTimeMilliseconds());
                return await command.ExecuteNonQueryAsync(ct) == 1;
            },
            cancellationToken);

    /// <summary>Forgets at most <paramref name="limit"/> applied events received before <paramref name="beforeMs"/>, oldest first; answers how many.</summary>
    public Task<int> ForgetEventsAsync(long beforeMs, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                    """
                    DELETE FROM stripe_events WHERE event_id IN (
                        SELECT event_id FROM stripe_events WHERE received_at_ms < @before_ms ORDER BY received_at_ms LIMIT @limit)
                    """)
                    .With("before_ms", beforeMs).With("limit", limit);
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    /// <summary>
    /// Moves a payment from <paramref name="from"/> to the provider's answer; false when it was no
    /// longer there (a concurrent request recorded it first, and that answer stands). The move is
    /// audited (Payment + the new status) in the same transaction.
    /// </summary>
    public Task<bool> RecordAsync(Guid paymentId, StoredPaymentStatus from, ChargeOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var status = StoredPayment.StatusName(StatusOf(outcome.Status));
                await using var command = connection.CreateCommand("""
                    UPDATE payments SET status = @status, provider_ref = COALESCE(@provider_ref, provider_ref), failure_code = @failure_code, decline_code = @decline_code,
                        card_brand = COALESCE(card_brand, @card_brand), card_last4 = COALESCE(card_last4, @card_last4), next_action_url = COALESCE(@next_action_url, next_action_url), updated_at_ms = @now
                    WHERE payment_id = @payment_id AND status = @from
                    RETURNING customer_id, purpose, plan_id, amount_minor, currency, provider, provider_ref, card_brand, card_last4
                    """, transaction)
                    .With("card_brand", outcome.CardBrand).With("card_last4", outcome.CardLast4).With("next_action_url", outcome.NextActionUrl)
                    .With("status", status).With("provider_ref", outcome.ProviderRef)
                    .With("failure_code", outcome.FailureCode).With("decline_code", outcome.DeclineCode).With("now", now.ToUnixTimeMilliseconds())
                    .With("payment_id", Id(paymentId)).With("from", StoredPayment.StatusName(from));
                var state = await ReadAuditStateAsync(command, ct);
                if (state is null)
                {
                    return false;
                }

                var after = new Dictionary<string, object?>(state) { ["status"] = status, ["failure_code"] = outcome.FailureCode, ["decline_code"] = outcome.DeclineCode };
                var before = new Dictionary<string, object?>(state) { ["status"] = StoredPayment.StatusName(from) };
                await audit.AppendAsync(
                    connection, transaction,
                    new AuditRecord($"Payment{StatusOf(outcome.Status)}", "payments", paymentId.ToString(), JsonSerializer.Serialize(before), JsonSerializer.Serialize(after)), ct);
                await transaction.CommitAsync(ct);
                metrics.PaymentRecorded(status);
                return true;
            },
            cancellationToken);

    /// <summary>The updated row's audit state (no card number is stored, only brand and last four digits); null when no row moved.</summary>
    private static async Task<Dictionary<string, object?>?> ReadAuditStateAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        string? TextAt(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        return new Dictionary<string, object?>
        {
            ["customer_id"] = reader.GetString(0), ["purpose"] = reader.GetString(1), ["plan_id"] = TextAt(2), ["amount_minor"] = reader.GetInt64(3),
            ["currency"] = reader.GetString(4), ["provider"] = reader.GetString(5), ["provider_ref"] = TextAt(6), ["card_brand"] = TextAt(7), ["card_last4"] = TextAt(8),
        };
    }

    /// <summary>Bookkeeping after the grant: the grant itself (token_grants, keyed by the payment id) is the fact.</summary>
    public Task MarkGrantedAsync(Guid paymentId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("UPDATE payments SET granted_at_ms = @now WHERE payment_id = @payment_id AND granted_at_ms IS NULL")
                    .With("now", now.ToUnixTimeMilliseconds()).With("payment_id", Id(paymentId));
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    /// <summary>Newest first; <paramref name="after"/> is the last payment of the previous page.</summary>
    public Task<IReadOnlyList<StoredPayment>> ListAsync(string customerId, StoredPayment? after, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxPageSize + 1)
        {
            throw new InvariantViolationException($"A page of payments holds 1..{MaxPageSize + 1} rows, asked {limit}.");
        }

        var sql = after is null
            ? $"SELECT {Columns} FROM payments WHERE customer_id = @customer_id ORDER BY created_at_ms DESC, payment_id DESC LIMIT @limit"
            : $"""
              SELECT {Columns} FROM payments WHERE customer_id = @customer_id
                AND (created_at_ms < @after_ms OR (created_at_ms = @after_ms AND payment_id < @after_id))
              ORDER BY created_at_ms DESC, payment_id DESC LIMIT @limit
              """;
        return database.QueryListAsync(
            sql,
            c => after is null
                ? c.With("customer_id", customerId).With("limit", limit)
                : c.With("customer_id", customerId).With("limit", limit).With("after_ms", after.CreatedAt.ToUnixTimeMilliseconds()).With("after_id", Id(after.PaymentId)),
            Read,
            cancellationToken);
    }

    /// <summary>An invoice's collection attempt by its idempotency key, whoever's it is: for the provider's webhooks.</summary>
    public Task<StoredPayment?> FindInvoiceAttemptAsync(string invoiceId, string idempotencyKey, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            $"SELECT {Columns} FROM payments WHERE invoice_id = @invoice_id AND idempotency_key = @key",
            c => c.With("invoice_id", invoiceId).With("key", idempotencyKey), Read, cancellationToken);

    /// <summary>The attempts to collect an invoice, first first.</summary>
    public Task<IReadOnlyList<StoredPayment>> ForInvoiceAsync(string invoiceId, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"SELECT {Columns} FROM payments WHERE invoice_id = @invoice_id ORDER BY created_at_ms, payment_id LIMIT {MaxPageSize}",
            c => c.With("invoice_id", invoiceId), Read, cancellationToken);

    /// <summary>Purchases that succeeded but whose grant was not yet seen through (a crash between the two), oldest first.</summary>
    public Task<IReadOnlyList<StoredPayment>> UngrantedAsync(int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"SELECT {Columns} FROM payments WHERE status = 'succeeded' AND granted_at_ms IS NULL AND purpose = 'plan_purchase' ORDER BY updated_at_ms LIMIT @limit",
            c => c.With("limit", limit), Read, cancellationToken);

    private static StoredPaymentStatus StatusOf(ChargeStatus status) => status switch
    {
        ChargeStatus.Succeeded => StoredPaymentStatus.Succeeded,
        ChargeStatus.RequiresAction => StoredPaymentStatus.RequiresAction,
        ChargeStatus.Failed => StoredPaymentStatus.Failed,
        ChargeStatus.Processing => StoredPaymentStatus.Pending,
        _ => throw new InvariantViolationException($"Unknown charge status {status}."),
    };

    private object Id(Guid id) => database.GuidParameter(id);

    private static StoredPayment Read(DbDataReader r) => new(
        MeteringStore.ReadGuid(r, 0), r.GetString(1), r.GetString(2), Text(r, 3),
        Money.FromMinorUnits(r.GetInt64(4), Currency.Parse(r.GetString(5))), StoredPayment.ParseStatus(r.GetString(6)), r.GetString(7),
        Text(r, 8), Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12), Text(r, 13), Text(r, 14),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(15)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(16)),
        r.IsDBNull(17) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(17)), Text(r, 18), r.IsDBNull(19) ? null : MeteringStore.ReadGuid(r, 19), Text(r, 20));

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
