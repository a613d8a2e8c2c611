using Billing.Cli.LoadTest;
using Billing.Contracts.Metering;

namespace Billing.Cli.Tests;

public sealed class LoadTestConservationTests
{
    private static CustomerReading Reading(string id, long granted, long remaining, long consumed, long accepted, long unanswered = 0) =>
        new(id, accepted, unanswered, new SubscriptionResponse(id, "pln_1", "loadtest", granted, remaining, consumed, null, null, IsActive: true));

    [Fact]
    public void ConservationHoldsWhenEveryCustomerAddsUpAndSumsTheFigures()
    {
        var report = ConservationReport.Evaluate([Reading("a", 100, 60, 40, 40), Reading("b", 100, 100, 0, 0)]);

        Assert.True(report.Ok);
        Assert.Equal((200L, 160L, 40L, 40L), (report.TokensGranted, report.TokensRemaining, report.TokensConsumed, report.TokensAccepted));
        Assert.Equal("granted 200 = remaining 160 + accepted 40", report.Equation());
    }

    [Fact]
    public void ConservationCheckFailsWhenRemainingDoesNotAddUp()
    {
        var report = ConservationReport.Evaluate([Reading("a", 100, 61, 40, 40), Reading("b", 100, 90, 10, 10)]);

        Assert.False(report.Ok);
        var mismatch = Assert.Single(report.Mismatches);
        Assert.Equal(new CustomerMismatch("a", "granted 100 != remaining 61 + accepted 40"), mismatch);
    }

    [Fact]
    public void ConservationCheckFailsWhenConsumedDiffersFromAccepted()
    {
        var report = ConservationReport.Evaluate([Reading("a", 100, 60, 41, 40)]);

        Assert.Equal(new CustomerMismatch("a", "consumed 41 != accepted 40"), Assert.Single(report.Mismatches));
    }

    [Theory]
    [InlineData(60, 40, true)]
    [InlineData(57, 43, true)]
    [InlineData(55, 45, true)]
    [InlineData(54, 46, false)]
    [InlineData(61, 39, false)]
    public void UnansweredTokensMayBeChargedOrNotButNoMoreAndNoLess(long remaining, long consumed, bool ok)
    {
        var report = ConservationReport.Evaluate([Reading("a", 100, remaining, consumed, accepted: 40, unanswered: 5)]);

        Assert.Equal(ok, report.Ok);
    }

    [Fact]
    public void UnreadableSubscriptionCountsAsAMismatchWithItsReason()
    {
        var report = ConservationReport.Evaluate([new CustomerReading("a", 3, 0, null, "GET /api/v1/billing/subscription answered 403 (no_active_subscription)")]);

        Assert.False(report.Ok);
        Assert.Equal("GET /api/v1/billing/subscription answered 403 (no_active_subscription)", Assert.Single(report.Mismatches).Reason);
    }

    [Fact]
    public void ReportListsAtMostTenMismatchingCustomersButCountsThemAll()
    {
        var readings = Enumerable.Range(0, 25).Select(i => Reading($"c{i}", 100, 100, 0, 1)).ToList();

        var report = ConservationReport.Evaluate(readings);

        Assert.Equal(25, report.CustomersMismatched);
        Assert.Equal(ConservationReport.MaxListed, report.Mismatches.Count);
        Assert.Equal("c0", report.Mismatches[0].CustomerId);
    }
}
