using Billing.Silo.TestClocks;

namespace Billing.Silo.Api;

/// <summary>Body of <c>POST /api/v1/admin/test-clocks</c>: the instant the clock starts frozen at, and its name.</summary>
public sealed record TestClockRequest(DateTimeOffset? FrozenTime, string? Name);

/// <summary>Body of <c>POST /api/v1/admin/test-clocks/{id}/advance</c>: where the clock goes.</summary>
public sealed record TestClockAdvanceRequest(DateTimeOffset? To);

/// <summary>
/// A test clock: <c>status</c> <c>ready</c>, or <c>advancing</c> while an advance walks its events
/// (<c>frozen_time</c> is then the last event reached, <c>advancing_to</c> the target).
/// </summary>
public sealed record TestClockResponse(
    string Id, string Name, DateTimeOffset FrozenTime, string Status, DateTimeOffset? AdvancingTo, int Customers, DateTimeOffset CreatedAt)
{
    public static TestClockResponse From(StoredTestClock clock) =>
        new(
            clock.Id, clock.Name, DateTimeOffset.FromUnixTimeMilliseconds(clock.FrozenAtMs), clock.Status,
            clock.AdvancingToMs is { } to ? DateTimeOffset.FromUnixTimeMilliseconds(to) : null, clock.Customers,
            DateTimeOffset.FromUnixTimeMilliseconds(clock.CreatedAtMs));
}

public sealed record TestClockPage(IReadOnlyList<TestClockResponse> TestClocks, string? NextAfter);

/// <summary>What <c>DELETE /api/v1/admin/test-clocks/{id}</c> removed.</summary>
public sealed record TestClockDeletedResponse(string Id, bool Deleted, int CustomersDeleted);
