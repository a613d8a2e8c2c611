using System.Data.Common;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
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

    // The customer's last sequence and the aggregate up to it in one statement (one snapshot): the
    // one-row CTE keeps the sequence when the shop has no events in the period.
    private static readonly string Rebuild =
        $"""
         WITH last AS (SELECT COALESCE(MAX(seq), 0) AS up_to FROM usage_events WHERE customer_id = @customer)
         SELECT a.bucket, a.endpoint, a.requests, a.tokens, a.cost_nanos, a.errors, last.up_to
         FROM last LEFT JOIN ({AggregateUpTo("(SELECT up_to FROM last)")}) a ON 1 = 1
         """;

    private static readonly string Late = AggregateUpTo("@up_to");

    /// <summary>Adds the period's events up to the customer's last visible sequence, and returns that sequence.</summary>
    public Task<long> RebuildAsync(string shopId, string customerId, PeriodUsage into, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = Bind(connection.CreateCommand(Rebuild), shopId, into, afterSequence: 0).With("customer", customerId);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var upTo = 0L;
                while (await reader.ReadAsync(ct))
                {
                    upTo = reader.GetInt64(6);
                    if (!reader.IsDBNull(2))
                    {
                        Record(reader, into);
                    }
                }

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
                await using var command = Bind(connection.CreateCommand(Late), shopId, into, afterSequence).With("up_to", upToSequence);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    Record(reader, into);
                }

                return 0;
            },
            cancellationToken);

    private static string AggregateUpTo(string upTo) =>
        $"""
         SELECT occurred_at_ms / {BucketMs} AS bucket, endpoint, COUNT(*) AS requests, SUM(tokens) AS tokens, SUM(cost_nanos) AS cost_nanos,
                SUM(CASE WHEN status_code >= 400 THEN 1 ELSE 0 END) AS errors
         FROM usage_events
         WHERE shop_id = @shop AND occurred_at_ms >= @from_ms AND occurred_at_ms < @to_ms AND seq > @after AND seq <= {upTo}
         GROUP BY occurred_at_ms / {BucketMs}, endpoint
         """;

    private static DbCommand Bind(DbCommand command, string shopId, PeriodUsage into, long afterSequence) =>
        command.With("shop", shopId).With("from_ms", into.Period.StartInstant.ToUnixTimeMilliseconds())
            .With("to_ms", into.Period.EndInstant.ToUnixTimeMilliseconds()).With("after", afterSequence);

    private static void Record(DbDataReader reader, PeriodUsage into)
    {
        var at = Instant.FromUnixTimeMilliseconds(Math.Max(reader.GetInt64(0) * BucketMs, into.Period.StartInstant.ToUnixTimeMilliseconds()));
        var cost = MoneyNanos.ToMoney(reader.GetInt64(4), into.Currency);
        into.Record(new UsageFact(at, reader.GetInt64(2), reader.GetInt64(3), cost, reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(5)));
    }
}
