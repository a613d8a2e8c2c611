using System.Data.Common;
using System.Globalization;
using Billing.Domain;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Metering.Journal;
using NodaTime;

namespace Billing.Silo.Metering;

/// <summary>Reads of the metering tables: balance snapshots, idempotency keys, and event sums for conservation checks.</summary>
public sealed class MeteringStore(SqlDatabase database)
{
    private const string UsageColumns =
        "usage_id, customer_id, shop_id, key_id, seq, tokens, cost_nanos, currency, description, endpoint, method, status_code, occurred_at_ms, idempotency_key, request_hash, remaining_after";

    /// <summary>
    /// The customer's subscription as the events say: the last snapshot, plus the grants and usage
    /// committed after it (snapshots are flushed about once a second, so after a crash they lag).
    /// The reads share one database snapshot: while another activation of the customer is
    /// still writing (a split brain), reads at different moments could see its later grant but not
    /// its earlier usage, a state that never was, whose seq would still pass the ledger-head fence.
    /// </summary>
    public async Task<Subscription?> LoadSubscriptionAsync(string customerId, CancellationToken cancellationToken) =>
        (await LoadActivationAsync(customerId, cancellationToken)).Subscription;

    /// <summary>
    /// <see cref="LoadSubscriptionAsync"/> the latest grant (for token alerts), whether the account is suspended and the
    /// customer's test clock, in one command of six statements: an activation's only round trip when traffic meets cold grains.
    /// </summary>
    public Task<SubscriptionLoad> LoadActivationAsync(string customerId, CancellationToken cancellationToken) =>
        database.ReadSnapshotAsync(
            async (connection, transaction, ct) =>
            {
                // The events after the snapshot are found from the snapshot's seq in SQL.
                await using var command = connection.CreateCommand(LoadSubscriptionSql, transaction).With("customer_id", customerId);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var snapshot = await reader.ReadAsync(ct) ? ReadSubscription(customerId, reader) : null;
                await NextResultAsync(reader, ct);
                await reader.ReadAsync(ct);
                var (usedAfter, lastUsageSeq) = (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
                await NextResultAsync(reader, ct);
                var grants = new List<GrantRecord>();
                while (await reader.ReadAsync(ct))
                {
                    grants.Add(new GrantRecord(
                        ReadGuid(reader, 0), customerId, reader.GetString(1),
                        reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetInt64(6),
                        reader.GetInt64(7), reader.GetString(8)));
                }

                await NextResultAsync(reader, ct);
                var latest = await reader.ReadAsync(ct)
                    ? new CurrentGrant(reader.GetInt64(0), reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture))
                    : null;
                await NextResultAsync(reader, ct);
                await reader.ReadAsync(ct);
                var suspensions = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                await NextResultAsync(reader, ct);
                var clock = await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetInt64(1)) : ((string, long)?)null;
                return new SubscriptionLoad(SubscriptionReplay.Apply(customerId, snapshot, grants, usedAfter, lastUsageSeq), latest, suspensions, clock);
            },
            cancellationToken);

    private const string SnapshotSeq = "COALESCE((SELECT seq FROM subscriptions WHERE customer_id = @customer_id), 0)";

    private const string LoadSubscriptionSql = $"""
        SELECT plan_id, seq, tokens_granted, tokens_remaining, tokens_consumed, started_at_ms, ends_at_ms, is_active, price_per_token_nanos, currency
        FROM subscriptions WHERE customer_id = @customer_id;
        SELECT COALESCE(SUM(tokens), 0), COALESCE(MAX(seq), 0) FROM usage_events WHERE customer_id = @customer_id AND seq > {SnapshotSeq};
        SELECT grant_id, plan_id, seq, tokens, granted_at_ms, started_at_ms, ends_at_ms, price_per_token_nanos, currency
        FROM token_grants WHERE customer_id = @customer_id AND seq > {SnapshotSeq} ORDER BY seq;
        SELECT g.seq, u.remaining_after + u.tokens
        FROM token_grants g LEFT JOIN usage_events u ON u.customer_id = g.customer_id AND u.seq = g.seq + 1
        WHERE g.customer_id = @customer_id
        ORDER BY g.seq DESC
        LIMIT 1;
        SELECT COUNT(*) FROM account_suspensions WHERE customer_id = @customer_id;
        SELECT t.id, t.frozen_at_ms FROM customers c JOIN test_clocks t ON t.id = c.test_clock_id WHERE c.id = @customer_id
        """;

    private static async Task NextResultAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.NextResultAsync(cancellationToken))
        {
            throw new InvariantViolationException("The subscription load returned fewer result sets than it asked for.");
        }
    }

    /// <summary>Whether a grant with this id is stored (a purchase's grant carries its payment's id).</summary>
    /// <summary>The tokens of the stored grant <paramref name="grantId"/>; null when there is none.</summary>
    public Task<long?> GrantTokensAsync(Guid grantId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand("SELECT tokens FROM token_grants WHERE grant_id = @grant_id")
                    .With("grant_id", database.GuidParameter(grantId));
                return await command.ScalarInt64Async(ct);
            },
            cancellationToken);

    public async Task<bool> GrantExistsAsync(Guid grantId, CancellationToken cancellationToken) =>
        await GrantTokensAsync(grantId, cancellationToken) is not null;

    public Task<UsageRecord?> FindByIdempotencyKeyAsync(string shopId, string idempotencyKey, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand($"SELECT {UsageColumns} FROM usage_events WHERE shop_id = @shop_id AND idempotency_key = @key")
                    .With("shop_id", shopId).With("key", idempotencyKey);
                await using var reader = await command.ExecuteReaderAsync(ct);
                return await reader.ReadAsync(ct) ? ReadUsage(reader) : null;
            },
            cancellationToken);

    /// <summary>Granted and consumed tokens of a customer summed from the events alone: what the snapshot must agree with.</summary>
    public Task<(long Granted, long Consumed)> SumEventsAsync(string customerId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                await using var granted = connection.CreateCommand("SELECT COALESCE(SUM(tokens), 0) FROM token_grants WHERE customer_id = @c").With("c", customerId);
                await using var consumed = connection.CreateCommand("SELECT COALESCE(SUM(tokens), 0) FROM usage_events WHERE customer_id = @c").With("c", customerId);
                return (await granted.ScalarInt64Async(ct) ?? 0, await consumed.ScalarInt64Async(ct) ?? 0);
            },
            cancellationToken);

    internal static UsageRecord ReadUsage(DbDataReader r) => new(
        ReadGuid(r, 0),
        r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetString(7),
        NullableString(r, 8), NullableString(r, 9), NullableString(r, 10), r.IsDBNull(11) ? null : r.GetInt32(11),
        r.GetInt64(12), NullableString(r, 13), NullableString(r, 14), r.GetInt64(15));

    /// <summary>A UUID column: PostgreSQL returns a Guid, SQLite the text it was stored as.</summary>
    internal static Guid ReadGuid(DbDataReader r, int ordinal) =>
        r.GetValue(ordinal) is Guid id ? id : Guid.Parse(r.GetString(ordinal), CultureInfo.InvariantCulture);

    private static Subscription ReadSubscription(string customerId, DbDataReader r)
    {
        var ledger = new TokenLedger(new TokenAmount(r.GetInt64(2)), new TokenAmount(r.GetInt64(3)), new TokenAmount(r.GetInt64(4)));
        var price = r.IsDBNull(8) || r.IsDBNull(9) ? (Money?)null : MoneyNanos.ToMoney(r.GetInt64(8), Currency.Parse(r.GetString(9)));
        return Subscription.Restore(
            customerId, NullableString(r, 0), ledger, NullableInstant(r, 5), NullableInstant(r, 6),
            Convert.ToBoolean(r.GetValue(7), CultureInfo.InvariantCulture), price, r.GetInt64(1));
    }

    private static string? NullableString(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static Instant? NullableInstant(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : Instant.FromUnixTimeMilliseconds(r.GetInt64(ordinal));
}

/// <summary>Money in storage: whole 1e-9 units of the currency, so sub-cent token prices stay exact.</summary>
public static class MoneyNanos
{
    private const decimal NanosPerUnit = 1_000_000_000m;

    public static long FromMoney(Money money) => decimal.ToInt64(decimal.Round(money.Amount * NanosPerUnit, 0, MidpointRounding.ToEven));

    public static Money ToMoney(long nanos, Currency currency) => new(nanos / NanosPerUnit, currency);
}
