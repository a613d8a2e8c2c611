using System.Numerics;

namespace Billing.Silo.Metering.Journal;

/// <summary>
/// A lock-free log-linear histogram of microseconds: four sub-buckets per power of two, so any
/// reported percentile is within 19% of the true value, from 1 µs to about 2^40 µs (12 days).
/// Recording is one array increment; percentiles walk 160 counters.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 2;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int MaxExponent = 40;
    private const int BucketCount = (MaxExponent + 1) * SubBuckets;

    private readonly long[] counts = new long[BucketCount];
    private long maxMicroseconds;

    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref counts[BucketOf(value)]);
        var seen = Volatile.Read(ref maxMicroseconds);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref maxMicroseconds, value, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }

    public long Count => counts.Sum(c => Volatile.Read(ref c));

    public long MaxMicroseconds => Volatile.Read(ref maxMicroseconds);

    /// <summary>The upper bound of the bucket holding the given quantile (0..1), in microseconds; 0 when empty.</summary>
    public long PercentileMicroseconds(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1.0);
        var snapshot = counts.Select(c => Volatile.Read(ref c)).ToArray();
        var total = snapshot.Sum();
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var bucket = 0; bucket < snapshot.Length; bucket++)
        {
            seen += snapshot[bucket];
            if (seen >= Math.Max(1, rank))
            {
                return Math.Min(UpperBoundOf(bucket), MaxMicroseconds);
            }
        }

        return MaxMicroseconds;
    }

    internal static int BucketOf(long microseconds)
    {
        if (microseconds < SubBuckets)
        {
            return (int)microseconds;
        }

        var exponent = BitOperations.Log2((ulong)microseconds);
        if (exponent > MaxExponent)
        {
            return BucketCount - 1;
        }

        var subBucket = (int)((microseconds >> (exponent - SubBucketBits)) & (SubBuckets - 1));
        return ((exponent - SubBucketBits + 1) * SubBuckets) + subBucket;
    }

    internal static long UpperBoundOf(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return bucket;
        }

        var exponent = (bucket / SubBuckets) + SubBucketBits - 1;
        var subBucket = bucket % SubBuckets;
        var width = 1L << (exponent - SubBucketBits);
        return (1L << exponent) + ((subBucket + 1) * width) - 1;
    }
}
