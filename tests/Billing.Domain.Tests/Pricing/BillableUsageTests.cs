using NodaTime;
using static Billing.Domain.Tests.Pricing.PricingFixtures;

namespace Billing.Domain.Tests.Pricing;

public sealed class BillableUsageTests
{
    private static PeriodUsage MarchUsage()
    {
        var usage = new PeriodUsage(BillingPeriod.MonthContaining(Instant.FromUtc(2026, 3, 10, 0, 0), "Europe/Amsterdam"), Currency.EUR);
        usage.Record(new UsageFact(Instant.FromUtc(2026, 3, 2, 10, 0), 3, 300, Eur(0.03m), "/api/v1/detect", 1));
        usage.Record(new UsageFact(Instant.FromUtc(2026, 3, 3, 10, 0), 2, 50, Eur(0.02m), "/api/rtsp/streams", 0));
        usage.Record(new UsageFact(Instant.FromUtc(2026, 3, 4, 10, 0), 1, 0, Eur(0.01m), null, 1));
        return usage;
    }

    [Fact]
    public void FromPeriodUsageCarriesTotalsEndpointsSeatsAndRevenue()
    {
        var sale = Sale("A", 10m, 5, 12);

        var billable = BillableUsage.From(MarchUsage(), seats: 4, [sale]);

        Assert.Equal((6L, 350L, 2L, 4), (billable.Requests, billable.Tokens, billable.Errors, billable.Seats));
        Assert.Equal(
            [new EndpointUsage("(none)", 1, 0, 1), new EndpointUsage("/api/rtsp/streams", 2, 50, 0), new EndpointUsage("/api/v1/detect", 3, 300, 1)],
            billable.Endpoints);
        Assert.Equal([sale], billable.Revenue);
        Assert.Equal(3, billable.Quantity(UsageMetric.Requests, "/api/v1/"));
        Assert.Equal(350, billable.Quantity(UsageMetric.Tokens, "/api/"));
        Assert.Equal(1, billable.Quantity(UsageMetric.Errors, "/api/"));
        Assert.Equal(2, billable.Quantity(UsageMetric.Errors));
    }

    [Fact]
    public void RevenueOutsideThePeriodIsRefused()
    {
        // 23:30Z on 31 March is already 1 April in Amsterdam.
        var april = new RevenueEvent("A", Eur(10m), Instant.FromUtc(2026, 3, 31, 22, 30));

        var error = Assert.Throws<ArgumentException>(() => BillableUsage.From(MarchUsage(), 1, [april]));

        Assert.Contains("order 'A'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuantitiesSeatsAndEndpointsAreBounded()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Usage(requests: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Usage(tokens: BillableUsage.MaxQuantity + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Usage(seats: BillableUsage.MaxSeats + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Usage(seats: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Usage(requests: 5, endpoints: [new("/a", -1, 0, 0)]));
        Assert.Throws<ArgumentException>(() => Usage(requests: 5, endpoints: [new("/a", 3, 0, 0), new("/b", 3, 0, 0)]));
        Assert.Throws<ArgumentException>(() => Usage(requests: 5, endpoints: [new("/a", 1, 0, 0), new("/a", 1, 0, 0)]));
        var tooMany = Enumerable.Range(0, BillableUsage.MaxEndpoints + 1).Select(i => new EndpointUsage($"/e{i}", 0, 0, 0)).ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => Usage(endpoints: tooMany));
    }

    [Fact]
    public void EndpointsMayCoverOnlyPartOfTheTotals()
    {
        var usage = Usage(requests: 10, endpoints: [new("/a", 4, 0, 0)]);

        Assert.Equal(10, usage.Quantity(UsageMetric.Requests));
        Assert.Equal(4, usage.Quantity(UsageMetric.Requests, "/"));
    }
}
