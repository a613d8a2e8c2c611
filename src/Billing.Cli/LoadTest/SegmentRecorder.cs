using System.Globalization;

namespace Billing.Cli.LoadTest;

/// <summary>
/// What one timed stretch of traffic saw: a latency histogram, a count per HTTP status, and the request budget that
/// bounds it. Shared by all workers; every update is one interlocked operation.
/// </summary>
internal sealed class SegmentRecorder(long maxRequests)
{
    /// <summary>Stands in for a status code when no answer came (connection error or timeout).</summary>
    public const int NoAnswer = 0;

    public const string NoAnswerLabel = "no_answer";

    private const int StatusSlots = 600;

    private readonly long[] statusCounts = new long[StatusSlots];
    private long ticketsTaken;
    private long failures;

    public LatencyRecorder Latency { get; } = new();

    public long Completed => Latency.Count;

    /// <summary>Answers other than 200, plus requests that got no answer.</summary>
    public long Failures => Interlocked.Read(ref failures);

    /// <summary>Claims the right to send one more request; false once the budget is spent.</summary>
    public bool TryTakeTicket() => Interlocked.Increment(ref ticketsTaken) <= maxRequests;

    public void Record(int statusCode, long microseconds)
    {
        var slot = statusCode is > NoAnswer and < StatusSlots ? statusCode : NoAnswer;
        Interlocked.Increment(ref statusCounts[slot]);
        if (statusCode != 200)
        {
            Interlocked.Increment(ref failures);
        }

        Latency.Record(microseconds);
    }

    /// <summary>Non-zero counts keyed by status code ("200", "402") or <see cref="NoAnswerLabel"/>, in code order.</summary>
    public SortedDictionary<string, long> StatusCounts()
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var slot = 0; slot < StatusSlots; slot++)
        {
            var seen = Interlocked.Read(ref statusCounts[slot]);
            if (seen > 0)
            {
                counts[slot == NoAnswer ? NoAnswerLabel : slot.ToString(CultureInfo.InvariantCulture)] = seen;
            }
        }

        return counts;
    }
}
