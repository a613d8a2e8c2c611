using System.Data.Common;
using Billing.Domain;
using Billing.Runtime.Storage.Sql;
using NodaTime;

namespace Billing.Silo.Metering;

/// <summary>
/// Rebuilds a shop's period totals from <c>usage_events</c>. A shop belongs to one customer, and
/// one customer's events commit in sequence order, so everything up to the customer's highest
/// visible sequence is visible: the aggregate is taken up to that sequence, and live events above
/// it are the only ones still to be added. (The customer's index finds that sequence, so the
/// shop needs no index of its own on it: one index less to maintain per usage event.)
/// Buckets are 15 minutes of UTC, which every IANA offset of today divides, so each bucket falls
/// on one local day.
/// </summary>
public sealed class ShopUsageReader(SqlDatabase database)
{
    private const long BucketMs = 15 * 60 * 1000;

    private static readonly string Aggregate =
        $"""
         SELECT occurred_at_ms / {BucketMs}, endpoint, COUNT(*), SUM(tokens), SUM(cost_nanos), SUM(CASE WHEN status_code >= 400 THEN 1 ELSE 0 END)
         FROM usage_events
         WHERE shop_id = @shop AND occurred_at_ms >= @from_ms AND occurred_at_ms < @to_ms AND seq > @after AND seq <= @up_to
         GROUP BY occurred_at_ms / {BucketMs}, endpoint
         """;

    /// <summary>Adds the period's events up to the customer's last visible sequence, and returns that sequence.</summary>
    public Task<long> RebuildAsync(string shopId, string customerId, PeriodUsage into, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                var upTo = await LastSequenceAsync(connection, customerId, ct);
                await AddAsync(connection, shopId, into, afterSequence: 0, upTo, ct);
                return upTo;
            },
            cancellationToken);

    /// <summary>
    /// Events of <paramref name="into"/>'s span that committed after sequence
    /// <paramref name="afterSequence"/> and up to <paramref name="upToSequence"/>: usage that
    /// arrived after the periods it belongs to were invoiced.
    /// </summary>
    public Task AddLateAsync(string shopId, PeriodUsage into, long afterSequence, long upToSequence, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await AddAsync(connection, shopId, into, afterSequence, upToSequence, ct);
                return 0;
            },
            cancellationToken);

    private static async Task<long> LastSequenceAsync(DbConnection connection, string customerId, CancellationToken cancellationToken)
    {
        await using var max = connection.CreateCommand("SELECT MAX(seq) FROM usage_events WHERE customer_id = @customer").With("customer", customerId);
        return await max.ScalarInt64Async(cancellationToken) ?? 0;
    }

    private static async Task AddAsync(DbConnection connection, string shopId, PeriodUsage into, long afterSequence, long upTo, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(Aggregate)
            .With("shop", shopId).With("from_ms", into.Period.StartInstant.ToUnixTimeMilliseconds())
            .With("to_ms", into.Period.EndInstant.ToUnixTimeMilliseconds()).With("after", afterSequence).With("up_to", upTo);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var at = Instant.FromUnixTimeMilliseconds(Math.Max(reader.GetInt64(0) * BucketMs, into.Period.StartInstant.ToUnixTimeMilliseconds()));
            var cost = MoneyNanos.ToMoney(reader.GetInt64(4), into.Currency);
            into.Record(new UsageFact(at, reader.GetInt64(2), reader.GetInt64(3), cost, reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(5)));
        }
    }
}
