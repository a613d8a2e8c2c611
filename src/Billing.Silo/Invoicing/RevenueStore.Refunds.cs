using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>One order as stored: its amount, flags, the invoice that billed it (null: none yet), when it occurred and who bought.</summary>
internal sealed record StoredOrder(Money Amount, RevenueEventFlags Flags, string? InvoiceId, Instant At, string? Fingerprint);

public sealed partial class RevenueStore
{
    /// <summary>
    /// A flag reported for an order an invoice already billed. The invoice stands; a refund is
    /// credited on the shop's next invoice (a negative pending line), in this transaction with the
    /// flag, so the same refund reported again is a duplicate and credits nothing more. The flag
    /// moves only from what was read, so of two concurrent reports one credits and one finds it
    /// done. Any other late flag (a test order) changes nothing billed and is refused.
    /// </summary>
    private static async Task<RevenueRecordResult> CreditRefundAsync(
        DbConnection connection, DbTransaction transaction, string shopId, RevenueEvent reported, StoredOrder billed, Instant now, RefundCredits? credits, CancellationToken ct)
    {
        var added = reported.Flags & ~billed.Flags;
        if (billed.InvoiceId is null || !added.HasFlag(RevenueEventFlags.Refunded))
        {
            return added == RevenueEventFlags.None
                ? new(RevenueRecordOutcome.Duplicate, billed.Amount, billed.InvoiceId)
                : new(RevenueRecordOutcome.AlreadyInvoiced, billed.Amount, billed.InvoiceId);
        }

        await using (var update = connection.CreateCommand(
            "UPDATE revenue_events SET flags = @flags WHERE shop_id = @shop AND order_id = @order AND flags = @read AND billed_invoice_id IS NOT NULL", transaction)
            .With("flags", (int)(billed.Flags | reported.Flags)).With("shop", shopId).With("order", reported.OrderId).With("read", (int)billed.Flags))
        {
            if (await update.ExecuteNonQueryAsync(ct) != 1)
            {
                return new(RevenueRecordOutcome.Duplicate, billed.Amount, billed.InvoiceId);
            }
        }

        var sale = new RevenueEvent(reported.OrderId, billed.Amount, billed.At, billed.Fingerprint, billed.Flags);
        var lines = (credits ?? throw new InvariantViolationException($"A refund of order '{reported.OrderId}' came without its credit's prices.")).LinesFor(sale);
        foreach (var line in lines)
        {
            await ShopTermsWriter.InsertLineAsync(connection, transaction, shopId, line, now.ToUnixTimeMilliseconds(), ct);
        }

        return new(RevenueRecordOutcome.Credited, billed.Amount, billed.InvoiceId, Money.Sum(lines.Select(l => -l.Amount), billed.Amount.Currency));
    }
}
