using System.Globalization;
using Billing.Domain;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Alerts;

/// <summary>
/// Usage cost per customer in one currency over a span of time, from <c>usage_events</c>.
/// The table has no index on time alone (every index costs each usage event on the hot path),
/// so the query reads, for each shop, its range of the (shop_id, occurred_at_ms) index in a
/// correlated subquery, which both engines run per shop through that index: it touches the span's
/// events and the shops, nothing older. MATERIALIZED keeps PostgreSQL from inlining the
/// per-shop sums into the outer query, which would evaluate the subquery twice.
/// </summary>
public sealed class UsageCostReader(SqlDatabase database)
{
    private const string CostPerCustomer =
        """
        WITH per_shop AS MATERIALIZED (
            SELECT s.customer_id AS customer_id,
                   (SELECT SUM(u.cost_nanos) FROM usage_events u
                    WHERE u.shop_id = s.id AND u.occurred_at_ms >= @from_ms AND u.occurred_at_ms < @to_ms AND u.currency = @currency) AS cost_nanos
            FROM shops s)
        SELECT customer_id, SUM(cost_nanos) FROM per_shop WHERE cost_nanos IS NOT NULL GROUP BY customer_id
        """;

    /// <summary>Streams (customer id, cost in 1e-9 units of <paramref name="currency"/>) for each customer with such cost in the span.</summary>
    public Task ReadAsync(BillingPeriod span, string currency, Action<string, long> onRow, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(CostPerCustomer).With("currency", currency)
                    .With("from_ms", span.StartInstant.ToUnixTimeMilliseconds()).With("to_ms", span.EndInstant.ToUnixTimeMilliseconds());
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    // PostgreSQL sums BIGINT as NUMERIC.
                    onRow(reader.GetString(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
                }

                return 0;
            },
            cancellationToken);
}
