using System.Collections.Concurrent;
using Billing.Domain;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.TestClocks;

/// <summary>
/// Which time a customer lives in: the silo's for a real customer, its test clock's frozen instant
/// for one created on a clock. One <see cref="FrozenClock"/> per clock on this silo, shared by the
/// clock's grains here; the advance moves it through those grains, so every silo that holds one
/// of them is told.
/// </summary>
public sealed class CustomerClocks(SqlDatabase database, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, FrozenClock> clocks = new(StringComparer.Ordinal);

    /// <summary>The silo's time, or the test clock's moved to at least <paramref name="frozenAtMs"/>.</summary>
    public TimeProvider Of(string? testClockId, long frozenAtMs) => testClockId is null ? time : Move(testClockId, frozenAtMs);

    /// <summary>Moves this silo's instance of the clock forward to <paramref name="atMs"/> (never back).</summary>
    public FrozenClock Move(string testClockId, long atMs)
    {
        var clock = clocks.GetOrAdd(testClockId, static (_, at) => new FrozenClock(at), atMs);
        clock.MoveTo(atMs);
        return clock;
    }

    /// <summary>A deleted clock: its customers are gone, so nothing reads it any more.</summary>
    public void Forget(string testClockId) => clocks.TryRemove(testClockId, out _);

    /// <summary>The silo's time for a real customer (null), else the clock's, moved to at least its stored instant.</summary>
    public TimeProvider Of(ClockOfCustomer? clock) => clock is null ? time : Move(clock.Id, clock.FrozenAtMs);

    /// <summary>The customer's time, read from storage (one indexed read): for an off-session charge.</summary>
    public async Task<TimeProvider> ForCustomerAsync(string customerId, CancellationToken cancellationToken) =>
        Of(await ClockOfAsync(customerId, cancellationToken));

    /// <summary>The customer's clock and its instant, or null for a real customer (or an unknown one).</summary>
    public Task<ClockOfCustomer?> ClockOfAsync(string customerId, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(customerId, CatalogIds.Customer)
            ? database.QueryFirstAsync(
                "SELECT t.id, t.frozen_at_ms FROM customers c JOIN test_clocks t ON t.id = c.test_clock_id WHERE c.id = @customer",
                c => c.With("customer", customerId), r => new ClockOfCustomer(r.GetString(0), r.GetInt64(1)), cancellationToken)
            : Task.FromResult<ClockOfCustomer?>(null);
}

/// <summary>A customer's test clock and the instant it is frozen at, in Unix ms.</summary>
public sealed record ClockOfCustomer(string Id, long FrozenAtMs);
