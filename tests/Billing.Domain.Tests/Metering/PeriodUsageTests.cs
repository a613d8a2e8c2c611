using Billing.Domain;
using NodaTime;

namespace Billing.Domain.Tests.Metering;

public sealed class PeriodUsageTests
{
    [Fact]
    public void MonthInAmsterdamStartsAtLocalMidnight()
    {
        var period = BillingPeriod.MonthContaining(Instant.FromUtc(2026, 3, 31, 22, 30), "Europe/Amsterdam");

        Assert.Equal(new LocalDate(2026, 4, 1), period.Start);
        Assert.Equal(Instant.FromUtc(2026, 3, 31, 22, 0), period.StartInstant);
        Assert.Equal(Instant.FromUtc(2026, 4, 30, 22, 0), period.EndInstant);
    }

    [Fact]
    public void PeriodBoundaryInsideADstGapMovesToTheEndOfTheGap()
    {
        // Santiago skips 00:00-01:00 on 2026-09-06: that day starts at 01:00 local (04:00Z).
        var period = new BillingPeriod(new LocalDate(2026, 9, 6), new LocalDate(2026, 9, 7), "America/Santiago");

        Assert.Equal(Instant.FromUtc(2026, 9, 6, 4, 0), period.StartInstant);
    }

    [Fact]
    public void RecordsTotalsPerLocalDayAndPerEndpoint()
    {
        var period = BillingPeriod.MonthContaining(Instant.FromUtc(2026, 6, 10, 0, 0), "Pacific/Auckland");
        var usage = new PeriodUsage(period, Currency.EUR);

        Assert.True(usage.Record(Fact(Instant.FromUtc(2026, 6, 1, 11, 0), "/v1/chat", errors: 0)));  // 23:00 on June 1 local
        Assert.True(usage.Record(Fact(Instant.FromUtc(2026, 6, 1, 12, 0), "/v1/chat", errors: 1)));  // 00:00 on June 2 local
        Assert.True(usage.Record(Fact(Instant.FromUtc(2026, 6, 1, 12, 30), null, errors: 0)));

        Assert.Equal(new UsageCounts(3, 30, new Money(0.45m, Currency.EUR), 1), usage.Totals);
        Assert.Equal(new UsageCounts(1, 10, new Money(0.15m, Currency.EUR), 0), usage.Days[new LocalDate(2026, 6, 1)]);
        Assert.Equal(new UsageCounts(2, 20, new Money(0.30m, Currency.EUR), 1), usage.Days[new LocalDate(2026, 6, 2)]);
        Assert.Equal(2, usage.Endpoints["/v1/chat"].Requests);
        Assert.Equal(1, usage.Endpoints[PeriodUsage.UnknownEndpoint].Requests);
    }

    [Fact]
    public void FactOutsideThePeriodIsRefusedAndChangesNothing()
    {
        var usage = new PeriodUsage(BillingPeriod.MonthContaining(Instant.FromUtc(2026, 6, 10, 0, 0), "UTC"), Currency.EUR);

        Assert.False(usage.Record(Fact(Instant.FromUtc(2026, 7, 1, 0, 0), "/x", 0)));
        Assert.Equal(0, usage.Totals.Requests);
    }

    [Fact]
    public void EndpointsBeyondTheLimitAreCountedAsOther()
    {
        var usage = new PeriodUsage(BillingPeriod.MonthContaining(Instant.FromUtc(2026, 6, 10, 0, 0), "UTC"), Currency.EUR);

        for (var i = 0; i < 500; i++)
        {
            usage.Record(Fact(Instant.FromUtc(2026, 6, 10, 0, 0), $"/random/{i}", 0));
        }

        Assert.Equal(PeriodUsage.MaxEndpoints, usage.Endpoints.Count);
        Assert.Equal(500 - (PeriodUsage.MaxEndpoints - 1), usage.Endpoints[PeriodUsage.OtherEndpoints].Requests);
        Assert.Equal(500, usage.Totals.Requests);
    }

    private static UsageFact Fact(Instant at, string? endpoint, long errors) => new(at, 1, 10, new Money(0.15m, Currency.EUR), endpoint, errors);
}
