using System.Collections.Concurrent;

namespace Billing.Runtime.Metrics;

/// <summary>One grain type's figures at one moment; rates are over the time since the previous snapshot.</summary>
public sealed record GrainTypeMetricsSnapshot(
    string GrainType,
    long LiveActivations,
    long TotalActivations,
    long Calls,
    long Errors,
    double CallsPerSecond,
    double LatencyP50Ms,
    double LatencyP99Ms,
    double LatencyMaxMs);

/// <summary>The runtime API the dashboard reads: per grain type, live activations, calls, errors and latency.</summary>
public interface IGrainRuntimeMetrics
{
    IReadOnlyList<GrainTypeMetricsSnapshot> Snapshot();
}

/// <summary>Counters for one grain type, updated with interlocked operations on the call path.</summary>
internal sealed class GrainTypeCounters(string grainType)
{
    private long liveActivations;
    private long totalActivations;
    private long calls;
    private long errors;
    private long previousCalls;
    private long previousTimestamp;

    public string GrainType { get; } = grainType;

    public LatencyHistogram Latency { get; } = new();

    public void ActivationAdded()
    {
        Interlocked.Increment(ref liveActivations);
        Interlocked.Increment(ref totalActivations);
    }

    public void ActivationRemoved() => Interlocked.Decrement(ref liveActivations);

    public void CallCompleted(long microseconds, bool failed)
    {
        Interlocked.Increment(ref calls);
        if (failed)
        {
            Interlocked.Increment(ref errors);
        }

        Latency.Record(microseconds);
    }

    public GrainTypeMetricsSnapshot Snapshot(TimeProvider time)
    {
        var now = time.GetTimestamp();
        var callCount = Interlocked.Read(ref calls);
        var last = Interlocked.Exchange(ref previousTimestamp, now);
        var lastCalls = Interlocked.Exchange(ref previousCalls, callCount);
        var seconds = last == 0 ? 0 : time.GetElapsedTime(last, now).TotalSeconds;
        return new GrainTypeMetricsSnapshot(
            GrainType,
            Interlocked.Read(ref liveActivations),
            Interlocked.Read(ref totalActivations),
            callCount,
            Interlocked.Read(ref errors),
            seconds > 0 ? (callCount - lastCalls) / seconds : 0,
            Latency.PercentileMicroseconds(0.50) / 1000.0,
            Latency.PercentileMicroseconds(0.99) / 1000.0,
            Latency.MaxMicroseconds / 1000.0);
    }
}

internal sealed class GrainRuntimeMetrics(TimeProvider time) : IGrainRuntimeMetrics
{
    private readonly ConcurrentDictionary<string, GrainTypeCounters> byType = new(StringComparer.Ordinal);

    public GrainTypeCounters For(string grainType) => byType.GetOrAdd(grainType, static t => new GrainTypeCounters(t));

    public IReadOnlyList<GrainTypeMetricsSnapshot> Snapshot() =>
        byType.Values.OrderBy(c => c.GrainType, StringComparer.Ordinal).Select(c => c.Snapshot(time)).ToList();
}
