using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// The revenue a close prices: unbilled events that occurred in its period, and late ones of earlier
/// (already invoiced) periods; with what identifies exactly those rows to the closing transaction:
/// unbilled, occurring in [<see cref="FromMs"/>, <see cref="EndMs"/>), recorded up to
/// <see cref="MaxSeq"/>. Flags only grow, so the sum of the flags tells whether one changed since.
/// </summary>
public sealed record RevenueClaim(IReadOnlyList<RevenueEvent> InPeriod, IReadOnlyList<RevenueEvent> Late, long FromMs, long EndMs, long MaxSeq, long FlagsSum)
{
    public int Count => InPeriod.Count + Late.Count;
}

public sealed partial class RevenueStore
{
    /// <summary>
    /// The shop's unbilled events occurring before the end of <paramref name="period"/> and not before
    /// <paramref name="claimedBefore"/> (what an earlier close of the same walk covered), the first
    /// <see cref="MaxEventsPerClose"/> as recorded.
    /// </summary>
    public async Task<RevenueClaim> UnbilledAsync(string shopId, BillingPeriod period, Instant? claimedBefore, CancellationToken cancellationToken)
    {
        var fromMs = claimedBefore?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var endMs = period.EndInstant.ToUnixTimeMilliseconds();
        var rows = await database.QueryListAsync(
            """
            SELECT seq, order_id, amount_minor, currency, occurred_at_ms, fingerprint, flags
            FROM revenue_events
            WHERE shop_id = @shop AND billed_invoice_id IS NULL AND occurred_at_ms >= @from_ms AND occurred_at_ms < @end_ms
            ORDER BY seq
            LIMIT @limit
            """,
            c => c.With("shop", shopId).With("from_ms", fromMs).With("end_ms", endMs).With("limit", MaxEventsPerClose),
            r => (Seq: r.GetInt64(0), Event: new RevenueEvent(
                r.GetString(1), Money.FromMinorUnits(r.GetInt64(2), Currency.Parse(r.GetString(3))), Instant.FromUnixTimeMilliseconds(r.GetInt64(4)),
                r.IsDBNull(5) ? null : r.GetString(5), (RevenueEventFlags)r.GetInt32(6))),
            cancellationToken);
        var events = rows.Select(row => row.Event).ToList();
        return new RevenueClaim(
            [.. events.Where(e => period.Contains(e.At))], [.. events.Where(e => e.At < period.StartInstant)], fromMs, endMs,
            rows.Count == 0 ? 0 : rows[^1].Seq, events.Sum(e => (long)e.Flags));
    }

    /// <summary>
    /// Marks the claimed events billed by the close's invoice, in the closing transaction. Any
    /// difference from what was priced (an event recorded or flagged meanwhile inside the claim)
    /// rolls the close back; a retry prices again.
    /// </summary>
    internal static async Task ClaimAsync(DbConnection connection, DbTransaction transaction, string shopId, PeriodClose close, CancellationToken ct)
    {
        var claim = close.Revenue;
        if (claim.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand(
            """
            UPDATE revenue_events SET billed_invoice_id = @invoice
            WHERE shop_id = @shop AND billed_invoice_id IS NULL AND occurred_at_ms >= @from_ms AND occurred_at_ms < @end_ms AND seq <= @max_seq
            RETURNING flags
            """,
            transaction)
            .With("invoice", close.Document.Id).With("shop", shopId).With("from_ms", claim.FromMs).With("end_ms", claim.EndMs).With("max_seq", claim.MaxSeq);
        var (count, flagsSum) = (0, 0L);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                (count, flagsSum) = (count + 1, flagsSum + reader.GetInt32(0));
            }
        }

        if (count != claim.Count || flagsSum != claim.FlagsSum)
        {
            throw new ConcurrentCloseException(shopId, close.Period, "had revenue recorded or flagged while it was priced");
        }
    }
}
