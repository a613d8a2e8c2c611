using System.Numerics;

namespace Billing.Cli.LoadTest;

/// <summary>
/// Lock-free log-linear histogram of latencies in microseconds, shared by all workers of a phase. Values below 8 µs
/// are exact; above, each power of two is split into 8 equal slots, so a percentile is at most 12.5% above the truth.
/// The top slot holds everything from 2^36 µs (19 hours) up. Recording is one interlocked increment.
/// </summary>
/// <remarks>
/// The silo's <c>Billing.Silo.Metering.Journal.LatencyHistogram</c> does the same job; the CLI does not reference the
/// runtime, so this small one lives here until both can share one.
/// </remarks>
internal sealed class LatencyRecorder
{
    private const int SlotBits = 3;
    private const int SlotsPerOctave = 1 << SlotBits;
    private const int TopExponent = 36;
    private const int SlotCount = SlotsPerOctave + ((TopExponent - SlotBits + 1) * SlotsPerOctave);
    private const int MaxUpdateAttempts = 1000;

    private readonly long[] slots = new long[SlotCount];
    private long count;
    private long maxMicroseconds;

    public long Count => Interlocked.Read(ref count);

    public long MaxMicroseconds => Interlocked.Read(ref maxMicroseconds);

    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref slots[SlotOf(value)]);
        Interlocked.Increment(ref count);
        RaiseMax(value);
    }

    /// <summary>Smallest slot bound at or above the given share (0..1) of all values, capped by the true maximum; 0 when empty.</summary>
    public long PercentileMicroseconds(double share)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(share, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1.0);
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var wanted = Math.Max(1, (long)Math.Ceiling(share * total));
        long below = 0;
        for (var slot = 0; slot < slots.Length; slot++)
        {
            below += Interlocked.Read(ref slots[slot]);
            if (below >= wanted)
            {
                return Math.Min(HighestValueIn(slot), MaxMicroseconds);
            }
        }

        return MaxMicroseconds;
    }

    internal static int SlotOf(long microseconds)
    {
        if (microseconds < SlotsPerOctave)
        {
            return (int)microseconds;
        }

        var exponent = Math.Min(BitOperations.Log2((ulong)microseconds), TopExponent);
        var shift = exponent - SlotBits;
        var offset = (int)Math.Min((microseconds >> shift) - SlotsPerOctave, SlotsPerOctave - 1);
        return SlotsPerOctave + (shift * SlotsPerOctave) + offset;
    }

    internal static long HighestValueIn(int slot)
    {
        if (slot < SlotsPerOctave)
        {
            return slot;
        }

        var shift = (slot - SlotsPerOctave) / SlotsPerOctave;
        var offset = (slot - SlotsPerOctave) % SlotsPerOctave;
        var lowest = (long)(SlotsPerOctave + offset) << shift;
        return lowest + (1L << shift) - 1;
    }

    // Bounded retries: each failed exchange means another worker raised the maximum, so it converges fast.
    private void RaiseMax(long value)
    {
        var seen = Interlocked.Read(ref maxMicroseconds);
        for (var attempt = 0; attempt < MaxUpdateAttempts && value > seen; attempt++)
        {
            var found = Interlocked.CompareExchange(ref maxMicroseconds, value, seen);
            if (found == seen)
            {
                return;
            }

            seen = found;
        }
    }
}
