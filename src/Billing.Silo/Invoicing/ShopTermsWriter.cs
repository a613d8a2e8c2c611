using System.Data.Common;
using System.Globalization;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// Writes a terms change in one transaction: the shop's terms and the proration lines of an
/// upgrade commit together or not at all, and only while the period they were prorated for is
/// still open, so they are billed on that period's invoice.
/// </summary>
public sealed class ShopTermsWriter(SqlDatabase database)
{
    public Task WriteAsync(string shopId, BillingPeriod open, ShopTermsUpdate terms, IReadOnlyList<InvoiceLine> lines, Instant now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                var nowMs = now.ToUnixTimeMilliseconds();
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await LockOpenPeriodAsync(connection, transaction, shopId, open, ct);
                await UpsertTermsAsync(connection, transaction, shopId, terms, nowMs, ct);
                // Plan and seats in shop_billing are in effect from now (a downgrade only schedules next_*).
                await ShopTermsHistory.RecordAsync(connection, transaction, shopId, nowMs, nowMs, ct);
                for (var index = 0; index < lines.Count; index++)
                {
                    // A millisecond apart: the next invoice lists pending lines by creation, so the credit stays before the charge.
                    await InsertLineAsync(connection, transaction, shopId, lines[index], nowMs + index, ct);
                }

                await transaction.CommitAsync(ct);
                return 0;
            },
            cancellationToken);

    /// <summary>
    /// A no-op update of the open period row: it fails when a close froze the period first, and it
    /// holds the row until the commit, so a close that starts meanwhile waits for these lines.
    /// </summary>
    private static async Task LockOpenPeriodAsync(DbConnection connection, DbTransaction transaction, string shopId, BillingPeriod open, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            "UPDATE billing_periods SET status = status WHERE shop_id = @shop AND period_start = @start AND is_current = TRUE", transaction)
            .With("shop", shopId).With("start", InvoiceBook.Iso(open.Start.ToDateOnly()));
        if (await command.ExecuteNonQueryAsync(ct) != 1)
        {
            throw new ConcurrentCloseException(shopId, open);
        }
    }

    private static async Task UpsertTermsAsync(DbConnection connection, DbTransaction transaction, string shopId, ShopTermsUpdate terms, long nowMs, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            """
            INSERT INTO shop_billing (shop_id, price_plan_id, cycle, seats, next_price_plan_id, next_seats, updated_at_ms)
            VALUES (@shop, @plan, @cycle, @seats, @next_plan, @next_seats, @now_ms)
            ON CONFLICT (shop_id) DO UPDATE SET
                price_plan_id = excluded.price_plan_id, cycle = excluded.cycle, seats = excluded.seats,
                next_price_plan_id = excluded.next_price_plan_id, next_seats = excluded.next_seats, updated_at_ms = excluded.updated_at_ms
            """,
            transaction)
            .With("shop", shopId).With("plan", terms.PricePlanId).With("cycle", terms.Cycle).With("seats", terms.Seats)
            .With("next_plan", terms.NextPricePlanId).With("next_seats", terms.NextSeats).With("now_ms", nowMs);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A line for the shop's next invoice (a proration, a refund's credit).</summary>
    internal static async Task InsertLineAsync(DbConnection connection, DbTransaction transaction, string shopId, InvoiceLine line, long createdAtMs, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            """
            INSERT INTO pending_invoice_lines (id, shop_id, service, quantity, unit_price, amount_minor, currency, created_at_ms)
            VALUES (@id, @shop, @service, @quantity, @unit_price, @amount_minor, @currency, @created_at_ms)
            """,
            transaction)
            .With("id", CatalogIds.New(CatalogIds.PendingLine)).With("shop", shopId).With("service", line.Service)
            .With("quantity", line.Quantity.ToString(CultureInfo.InvariantCulture)).With("unit_price", line.UnitPrice.Amount.ToString(CultureInfo.InvariantCulture))
            .With("amount_minor", line.Amount.ToMinorUnits()).With("currency", line.Currency.Code).With("created_at_ms", createdAtMs);
        await command.ExecuteNonQueryAsync(ct);
    }
}
