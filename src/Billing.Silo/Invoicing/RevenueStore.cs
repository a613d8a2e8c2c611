using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Invoicing;

public enum RevenueRecordOutcome
{
    /// <summary>A new sale.</summary>
    Recorded = 1,

    /// <summary>The order was recorded before with this amount and nothing new: not counted again.</summary>
    Duplicate = 2,

    /// <summary>The order was recorded before and now gained flags (a refund, a test order) before any invoice billed it.</summary>
    FlagsAdded = 3,

    /// <summary>The order was recorded with another amount; the stored one stands.</summary>
    AmountConflict = 4,

    /// <summary>The order gained a flag other than refunded after an invoice billed it; the invoice stands.</summary>
    AlreadyInvoiced = 5,

    /// <summary>The order was refunded after an invoice billed it: the share it earned is credited on the shop's next invoice.</summary>
    Credited = 6,
}

/// <summary>
/// What recording one sale did; <see cref="Stored"/> is the order's stored amount, <see cref="InvoiceId"/> the invoice that billed it,
/// <see cref="Credit"/> what a refund after that invoice credits on the next one (zero when the sale earned no share).
/// </summary>
public sealed record RevenueRecordResult(RevenueRecordOutcome Outcome, Money Stored, string? InvoiceId, Money? Credit = null);

/// <summary>
/// Attributed revenue (seed 002), one row per shop and order id. Recording is idempotent by that
/// key. A close prices the events no invoice has billed yet and claims exactly those in its own
/// transaction (see <see cref="RevenueClaim"/>), so each sale is billed once whatever races and
/// retries happen.
/// </summary>
public sealed partial class RevenueStore(SqlDatabase database)
{
    /// <summary>Events one close prices at most; the rest stay unbilled and come on the next invoice as late revenue.</summary>
    public const int MaxEventsPerClose = 100_000;

    /// <summary>Records the shop's events in order, in one transaction, each with its own outcome.</summary>
    /// <paramref name="credits"/> prices a refund of an invoiced sale; null when no event of the batch is a refund.
    public Task<IReadOnlyList<RevenueRecordResult>> RecordAsync(
        string shopId, IReadOnlyList<RevenueEvent> events, Instant now, RefundCredits? credits, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var results = new List<RevenueRecordResult>(events.Count);
                foreach (var revenueEvent in events)
                {
                    results.Add(await RecordOneAsync(connection, transaction, shopId, revenueEvent, now, credits, ct));
                }

                await transaction.CommitAsync(ct);
                return (IReadOnlyList<RevenueRecordResult>)results;
            },
            cancellationToken);

    private static async Task<RevenueRecordResult> RecordOneAsync(
        DbConnection connection, DbTransaction transaction, string shopId, RevenueEvent revenueEvent, Instant now, RefundCredits? credits, CancellationToken ct)
    {
        await using (var insert = connection.CreateCommand(
            """
            INSERT INTO revenue_events (shop_id, order_id, amount_minor, currency, occurred_at_ms, fingerprint, flags, recorded_at_ms)
            VALUES (@shop, @order, @amount, @currency, @at_ms, @fingerprint, @flags, @now_ms)
            ON CONFLICT (shop_id, order_id) DO NOTHING
            """,
            transaction))
        {
            insert.With("shop", shopId).With("order", revenueEvent.OrderId).With("amount", revenueEvent.Amount.ToMinorUnits())
                .With("currency", revenueEvent.Amount.Currency.Code).With("at_ms", revenueEvent.At.ToUnixTimeMilliseconds())
                .With("fingerprint", revenueEvent.CustomerFingerprint).With("flags", (int)revenueEvent.Flags).With("now_ms", now.ToUnixTimeMilliseconds());
            if (await insert.ExecuteNonQueryAsync(ct) == 1)
            {
                return new RevenueRecordResult(RevenueRecordOutcome.Recorded, revenueEvent.Amount, null);
            }
        }

        var stored = await StoredOrderAsync(connection, transaction, shopId, revenueEvent.OrderId, ct);
        var flags = stored.Flags | revenueEvent.Flags;
        if (stored.Amount != revenueEvent.Amount || flags == stored.Flags)
        {
            return new(stored.Amount != revenueEvent.Amount ? RevenueRecordOutcome.AmountConflict : RevenueRecordOutcome.Duplicate, stored.Amount, stored.InvoiceId);
        }

        if (stored.InvoiceId is null && await AddFlagsAsync(connection, transaction, shopId, revenueEvent.OrderId, flags, ct))
        {
            return new(RevenueRecordOutcome.FlagsAdded, stored.Amount, null);
        }

        // Billed before, or by a close that claimed it just now: read again what that invoice billed.
        var billed = stored.InvoiceId is null ? await StoredOrderAsync(connection, transaction, shopId, revenueEvent.OrderId, ct) : stored;
        return await CreditRefundAsync(connection, transaction, shopId, revenueEvent, billed, now, credits, ct);
    }

    private static async Task<StoredOrder> StoredOrderAsync(
        DbConnection connection, DbTransaction transaction, string shopId, string orderId, CancellationToken ct)
    {
        await using var select = connection.CreateCommand(
            "SELECT amount_minor, currency, flags, billed_invoice_id, occurred_at_ms, fingerprint FROM revenue_events WHERE shop_id = @shop AND order_id = @order", transaction)
            .With("shop", shopId).With("order", orderId);
        await using var reader = await select.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvariantViolationException($"Revenue of order '{orderId}' conflicted on insert but is not stored.");
        }

        return new StoredOrder(
            Money.FromMinorUnits(reader.GetInt64(0), Currency.Parse(reader.GetString(1))), (RevenueEventFlags)reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            Instant.FromUnixTimeMilliseconds(reader.GetInt64(4)), reader.IsDBNull(5) ? null : reader.GetString(5));
    }

    /// <summary>Only while no invoice has billed the order; false when a close claimed it first.</summary>
    private static async Task<bool> AddFlagsAsync(DbConnection connection, DbTransaction transaction, string shopId, string orderId, RevenueEventFlags flags, CancellationToken ct)
    {
        await using var update = connection.CreateCommand(
            "UPDATE revenue_events SET flags = @flags WHERE shop_id = @shop AND order_id = @order AND billed_invoice_id IS NULL", transaction)
            .With("flags", (int)flags).With("shop", shopId).With("order", orderId);
        return await update.ExecuteNonQueryAsync(ct) == 1;
    }
}
