using System.Globalization;

namespace Billing.Cli.LoadTest;

/// <summary>
/// A once-a-second progress report on stderr for one stage of the run, e.g.
/// <c>consume  3 s  12345 requests  4102/s  0 not 200</c>. On a terminal the line is rewritten in place and wiped at
/// the end, so stdout's report stands alone; elsewhere each report is a plain line.
/// </summary>
internal sealed class ProgressLine : IAsyncDisposable
{
    // An hour of ticks: longer than any stage may run (setup and checks have their own 30-minute bound).
    private const int MaxTicks = 3600;
    private const string WipeLine = "\r\u001b[K";

    private readonly TextWriter stderr;
    private readonly bool rewrite;
    private readonly TimeProvider time;
    private readonly string stage;
    private readonly string unit;
    private readonly Func<long> done;
    private readonly Func<long>? failures;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task ticking;
    private bool wrote;

    private ProgressLine(TextWriter stderr, bool rewrite, TimeProvider time, string stage, string unit, Func<long> done, Func<long>? failures)
    {
        (this.stderr, this.rewrite, this.time, this.stage, this.unit, this.done, this.failures) = (stderr, rewrite, time, stage, unit, done, failures);
        ticking = TickAsync();
    }

    /// <summary>True when this writer is the process's stderr and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;

    public static ProgressLine Start(TextWriter stderr, TimeProvider time, string stage, string unit, Func<long> done, Func<long>? failures = null) =>
        new(stderr, IsTerminal(stderr), time, stage, unit, done, failures);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await ticking;
        }
        catch (OperationCanceledException)
        {
            // The expected way for the ticks to end.
        }

        if (rewrite && wrote)
        {
            await stderr.WriteAsync(WipeLine);
            await stderr.FlushAsync();
        }

        stopping.Dispose();
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        var started = time.GetTimestamp();
        var before = (Count: 0L, At: started);
        for (var tick = 0; tick < MaxTicks && await timer.WaitForNextTickAsync(stopping.Token); tick++)
        {
            var now = (Count: done(), At: time.GetTimestamp());
            var seconds = time.GetElapsedTime(before.At, now.At).TotalSeconds;
            var rate = seconds > 0 ? (now.Count - before.Count) / seconds : 0;
            var line = string.Create(CultureInfo.InvariantCulture, $"{stage}  {time.GetElapsedTime(started).TotalSeconds:0} s  {now.Count} {unit}  {rate:0}/s")
                + (failures is null ? "" : string.Create(CultureInfo.InvariantCulture, $"  {failures()} not 200"));
            await stderr.WriteAsync(rewrite ? WipeLine + line : line + "\n");
            await stderr.FlushAsync();
            wrote = true;
            before = now;
        }
    }
}
