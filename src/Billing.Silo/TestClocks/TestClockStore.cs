using System.Data.Common;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.TestClocks;

/// <summary>A test clock as stored, with how many customers live on it.</summary>
public sealed record StoredTestClock(string Id, string Name, long FrozenAtMs, string Status, long? AdvancingToMs, long CreatedAtMs, int Customers)
{
    public const string Ready = "ready";
    public const string Advancing = "advancing";
}

/// <summary>
/// The next thing due on a clock: a shop's open period (<see cref="Close"/>, <c>Id</c> the shop's),
/// due at its end plus the grace, an invoice's next collection attempt (<see cref="Collect"/>, the
/// invoice's), or a token plan's next renewal attempt (<see cref="Renew"/>, the customer's).
/// </summary>
public sealed record ClockEvent(string Kind, string Id, long DueAtMs)
{
    public const string Close = "close";
    public const string Collect = "collect";
    public const string Renew = "renew";
}

/// <summary>
/// The <c>test_clocks</c> table and what an advance walks: the open periods of the clock's
/// customers' shops, earliest due first. An advance is claimed in storage (ready → advancing), so
/// two silos never walk one clock at once, and an operator sees its status from any silo.
/// </summary>
public sealed partial class TestClockStore(SqlDatabase database, TimeProvider time)
{
    public const int MaxPageSize = 100;

    private const string Columns =
        "t.id, t.name, t.frozen_at_ms, t.status, t.advancing_to_ms, t.created_at_ms, (SELECT COUNT(*) FROM customers c WHERE c.test_clock_id = t.id)";

    // The clock's open periods, by due instant: the shops of its customers.
    private const string OpenPeriodsOfClock =
        """
        FROM billing_periods o
        JOIN shops s ON s.id = o.shop_id
        JOIN customers c ON c.id = s.customer_id
        WHERE c.test_clock_id = @clock AND o.is_current = TRUE
        """;

    public Task CreateAsync(string id, string name, long frozenAtMs, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand(
                    "INSERT INTO test_clocks (id, name, frozen_at_ms, status, advancing_to_ms, created_at_ms) VALUES (@id, @name, @frozen_ms, 'ready', NULL, @now_ms)")
                    .With("id", id).With("name", name).With("frozen_ms", frozenAtMs).With("now_ms", time.GetUtcNow().ToUnixTimeMilliseconds());
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    public Task<StoredTestClock?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.QueryFirstAsync($"SELECT {Columns} FROM test_clocks t WHERE t.id = @id", c => c.With("id", id), Read, cancellationToken);

    /// <summary>Clocks in creation order, at most <paramref name="limit"/>, after the clock <paramref name="afterId"/> when given.</summary>
    public Task<IReadOnlyList<StoredTestClock>> ListAsync(string? afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var after = afterId is null ? string.Empty : "WHERE (t.created_at_ms, t.id) > (SELECT created_at_ms, id FROM test_clocks WHERE id = @after)";
        return database.QueryListAsync(
            $"SELECT {Columns} FROM test_clocks t {after} ORDER BY t.created_at_ms, t.id LIMIT @limit",
            c => afterId is null ? c.With("limit", limit) : c.With("limit", limit).With("after", afterId), Read, cancellationToken);
    }

    /// <summary>Claims the clock for an advance to <paramref name="toMs"/>; false when it is not ready (another advance runs, or it is gone).</summary>
    public async Task<bool> BeginAdvanceAsync(string id, long toMs, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE test_clocks SET status = 'advancing', advancing_to_ms = @to_ms WHERE id = @id AND status = 'ready' AND frozen_at_ms < @to_ms",
            c => c.With("id", id).With("to_ms", toMs), cancellationToken) == 1;

    /// <summary>The advance reached <paramref name="atMs"/>: what the clock shows while it goes on.</summary>
    public Task MoveAsync(string id, long atMs, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE test_clocks SET frozen_at_ms = @at_ms WHERE id = @id AND frozen_at_ms < @at_ms", c => c.With("id", id).With("at_ms", atMs), cancellationToken);

    /// <summary>The advance ended at <paramref name="atMs"/> (its target, or where it stopped): the clock is ready again.</summary>
    public Task FinishAsync(string id, long atMs, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE test_clocks SET status = 'ready', advancing_to_ms = NULL, frozen_at_ms = CASE WHEN frozen_at_ms < @at_ms THEN @at_ms ELSE frozen_at_ms END WHERE id = @id",
            c => c.With("id", id).With("at_ms", atMs), cancellationToken);

    /// <summary>
    /// The clock's earliest-due event: an open period (due at its end plus <paramref name="graceMs"/>)
    /// a collection or a renewal attempt; at one instant closes come first, as an invoice comes before its collection.
    /// </summary>
    public Task<ClockEvent?> NextEventAsync(string id, long graceMs, CancellationToken cancellationToken) =>
        database.QueryFirstAsync(
            $"""
            SELECT kind, id, due_ms FROM (
                SELECT 'close' AS kind, o.shop_id AS id, o.end_ms + @grace_ms AS due_ms {OpenPeriodsOfClock}
                UNION ALL
                SELECT 'collect', ic.invoice_id, ic.next_attempt_at_ms
                FROM invoice_collections ic JOIN customers c ON c.id = ic.customer_id
                WHERE c.test_clock_id = @clock AND ic.status = 'collecting'
                UNION ALL
                SELECT 'renew', r.customer_id, r.next_attempt_at_ms
                FROM plan_renewals r JOIN customers c ON c.id = r.customer_id
                WHERE c.test_clock_id = @clock AND r.status = 'scheduled') AS events
            ORDER BY due_ms, kind, id LIMIT 1
            """,
            c => c.With("clock", id).With("grace_ms", graceMs), r => new ClockEvent(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken);

    /// <summary>Open shops on the clock: what bounds the closes an advance can run.</summary>
    public async Task<long> OpenShopsAsync(string id, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand($"SELECT COUNT(*) {OpenPeriodsOfClock}").With("clock", id);
                return await command.ScalarInt64Async(ct) ?? 0;
            },
            cancellationToken);

    /// <summary>The clock's customers and each one's shops: the grains an advance tells the final instant.</summary>
    public Task<IReadOnlyList<(string CustomerId, string? ShopId)>> GrainsAsync(string id, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            "SELECT c.id, s.id FROM customers c LEFT JOIN shops s ON s.customer_id = c.id WHERE c.test_clock_id = @clock ORDER BY c.id, s.id",
            c => c.With("clock", id), r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)), cancellationToken);

    private static StoredTestClock Read(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4), r.GetInt64(5), (int)r.GetInt64(6));

    private Task<int> ExecuteAsync(string sql, Func<DbCommand, DbCommand> bind, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, ct) =>
            {
                await using var command = bind(connection.CreateCommand(sql));
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);
}
