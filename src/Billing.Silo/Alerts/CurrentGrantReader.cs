using System.Globalization;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Alerts;

/// <summary>A customer's latest grant: its ledger sequence, and what the balance was right after it when usage has followed.</summary>
public sealed record CurrentGrant(long Sequence, long? AllowanceTokens);

/// <summary>
/// Finds the grant a subscription grain watches after activation, with two point lookups: the
/// last grant by (customer_id, seq), and the usage event right after it by the primary key. That
/// event's balance before it (remaining_after + tokens) is the grant's allowance; without such an
/// event nothing was used since the grant and the current balance is the allowance.
/// </summary>
public sealed class CurrentGrantReader(SqlDatabase database)
{
    private const string LastGrant =
        """
        SELECT g.seq, u.remaining_after + u.tokens
        FROM token_grants g LEFT JOIN usage_events u ON u.customer_id = g.customer_id AND u.seq = g.seq + 1
        WHERE g.customer_id = @customer_id
        ORDER BY g.seq DESC
        LIMIT 1
        """;

    public Task<CurrentGrant?> FindAsync(string customerId, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            LastGrant,
            c => c.With("customer_id", customerId),
            r => new CurrentGrant(r.GetInt64(0), r.IsDBNull(1) ? null : Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)),
            cancellationToken);
}
