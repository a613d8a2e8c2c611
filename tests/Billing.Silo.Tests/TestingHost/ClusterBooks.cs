using Billing.Silo.Grains;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Tests.Metering;

namespace Billing.Silo.Tests.TestingHost;

/// <summary>What the load's acknowledgements must leave behind, in the grains and in PostgreSQL.</summary>
internal static class ClusterBooks
{
    /// <summary>
    /// Every consume was answered and none failed; per customer, a fresh activation (the old one
    /// deactivated, so the balance is reloaded from storage) says granted = remaining + consumed
    /// with consumed exactly the acknowledged tokens. Then the cluster stops, and PostgreSQL holds
    /// exactly the acknowledged usage events and, in the balance snapshots, the same amounts.
    /// </summary>
    public static async Task AssertAsync(BillingTestCluster cluster, ClusterLoad load, IReadOnlyList<ClusterCustomer> customers)
    {
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} consumes failed, e.g. {load.Failures.FirstOrDefault()}");
        Assert.Equal(0, load.Unanswered);
        var acked = customers.ToDictionary(c => c.CustomerId, c => load.Acknowledged.Where(a => a.Customer == c.CustomerId).Sum(a => a.Tokens));
        Assert.All(acked, a => Assert.True(a.Value > 0, $"{a.Key} had no consume acknowledged"));
        foreach (var customer in customers)
        {
            var grain = cluster.Client.GetGrain<ISubscriptionGrain>(customer.CustomerId);
            await cluster.Cluster.DeactivateAsync(grain);
            var fresh = await grain.GetAsync();
            var expected = (ClusterLoad.GrantedTokens, ClusterLoad.GrantedTokens - acked[customer.CustomerId], acked[customer.CustomerId]);
            Assert.Equal(expected, (fresh.TokensGranted, fresh.TokensRemaining, fresh.TokensConsumed));
        }

        await cluster.StopAsync();
        await using var database = new PostgresDatabase(cluster.ConnectionString);
        Assert.Equal(load.Acknowledged.Select(a => a.UsageId).Order(), (await StoredUsage.IdsAsync(database)).Order());
        var snapshots = await SnapshotsAsync(database);
        foreach (var customer in customers)
        {
            var tokens = acked[customer.CustomerId];
            Assert.Equal((ClusterLoad.GrantedTokens, ClusterLoad.GrantedTokens - tokens, tokens), snapshots[customer.CustomerId]);
        }
    }

    private static async Task<Dictionary<string, (long Granted, long Remaining, long Consumed)>> SnapshotsAsync(SqlDatabase database)
    {
        var rows = await database.QueryListAsync(
            "SELECT customer_id, tokens_granted, tokens_remaining, tokens_consumed FROM subscriptions",
            c => c,
            r => (Customer: r.GetString(0), Balance: (r.GetInt64(1), r.GetInt64(2), r.GetInt64(3))),
            CancellationToken.None);
        return rows.ToDictionary(r => r.Customer, r => r.Balance, StringComparer.Ordinal);
    }
}
