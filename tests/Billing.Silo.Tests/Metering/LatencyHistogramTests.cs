using Billing.Silo.Metering.Journal;

namespace Billing.Silo.Tests.Metering;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void EmptyHistogramReportsZero()
    {
        Assert.Equal(0, new LatencyHistogram().PercentileMicroseconds(0.99));
    }

    [Fact]
    public void PercentilesAreWithinTheBucketResolution()
    {
        var histogram = new LatencyHistogram();
        for (var microseconds = 1; microseconds <= 10_000; microseconds++)
        {
            histogram.Record(microseconds);
        }

        Assert.Equal(10_000, histogram.Count);
        Assert.Equal(10_000, histogram.MaxMicroseconds);
        Assert.InRange(histogram.PercentileMicroseconds(0.50), 5_000, 5_000 * 1.19);
        Assert.InRange(histogram.PercentileMicroseconds(0.99), 9_900, 10_000);
        Assert.Equal(1, histogram.PercentileMicroseconds(0.0));
    }

    [Fact]
    public void BucketsAreContiguousAndIncreasing()
    {
        long previousUpper = -1;
        for (long value = 0; value < 1_000_000; value = (value * 11 / 10) + 1)
        {
            var bucket = LatencyHistogram.BucketOf(value);
            var upper = LatencyHistogram.UpperBoundOf(bucket);
            Assert.InRange(value, previousUpper < value ? 0 : value, upper);
            Assert.True(bucket == 0 || LatencyHistogram.UpperBoundOf(bucket - 1) < value, $"value {value} belongs to an earlier bucket");
            previousUpper = upper;
        }
    }
}
