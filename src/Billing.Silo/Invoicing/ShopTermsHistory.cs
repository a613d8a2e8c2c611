using System.Data.Common;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Invoicing;

/// <summary>
/// Appends the shop's terms as shop_billing holds them now to <c>shop_terms_history</c>, inside the
/// transaction that changed them, so the history never misses a change that committed nor holds
/// one that rolled back. Analytics reads it to know each shop's plan and seats at any instant.
/// </summary>
public static class ShopTermsHistory
{
    /// <summary>Records the terms in effect from <paramref name="effectiveAtMs"/> on; a second change in the same millisecond replaces the first.</summary>
    public static async Task RecordAsync(DbConnection connection, DbTransaction transaction, string shopId, long effectiveAtMs, long nowMs, CancellationToken ct)
    {
        await using var command = connection.CreateCommand(
            """
            INSERT INTO shop_terms_history (shop_id, effective_at_ms, price_plan_id, seats, cycle, recorded_at_ms)
            SELECT shop_id, @effective_ms, price_plan_id, seats, cycle, @now_ms FROM shop_billing WHERE shop_id = @shop
            ON CONFLICT (shop_id, effective_at_ms) DO UPDATE SET
                price_plan_id = excluded.price_plan_id, seats = excluded.seats, cycle = excluded.cycle, recorded_at_ms = excluded.recorded_at_ms
            """,
            transaction)
            .With("shop", shopId).With("effective_ms", effectiveAtMs).With("now_ms", nowMs);
        await command.ExecuteNonQueryAsync(ct);
    }
}
