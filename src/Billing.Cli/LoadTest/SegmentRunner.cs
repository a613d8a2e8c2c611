using System.Diagnostics;

namespace Billing.Cli.LoadTest;

/// <summary>Sends one request on behalf of a worker and returns its HTTP status, or <see cref="SegmentRecorder.NoAnswer"/>.</summary>
internal delegate ValueTask<int> SendOnce(int worker, CancellationToken cancellationToken);

/// <summary>How long a segment really took, from its start until its last request was answered.</summary>
internal sealed record SegmentResult(SegmentRecorder Recorder, TimeSpan Elapsed)
{
    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Recorder.Completed / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Drives a fixed number of workers, each sending one request after another, until the segment's time is up or its
/// request budget is spent. A request already sent when time is up is awaited, not abandoned: abandoning it would
/// leave unknown whether the silo charged it.
/// </summary>
internal sealed class SegmentRunner(int workers, TimeProvider time)
{
    public async Task<SegmentResult> RunAsync(SegmentRecorder recorder, TimeSpan length, SendOnce send, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var loops = new Task[workers];
        for (var worker = 0; worker < workers; worker++)
        {
            var id = worker;
            loops[worker] = Task.Run(() => LoopAsync(id, recorder, started, length, send, cancellationToken), cancellationToken);
        }

        await Task.WhenAll(loops);
        return new SegmentResult(recorder, time.GetElapsedTime(started));
    }

    // Bounded by time and by the shared ticket budget; the count bound on the loop itself is the same budget.
    private async Task LoopAsync(int worker, SegmentRecorder recorder, long started, TimeSpan length, SendOnce send, CancellationToken cancellationToken)
    {
        while (time.GetElapsedTime(started) < length && recorder.TryTakeTicket())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sentAt = Stopwatch.GetTimestamp();
            var status = await send(worker, cancellationToken);
            recorder.Record(status, (long)Stopwatch.GetElapsedTime(sentAt).TotalMicroseconds);
        }
    }
}
