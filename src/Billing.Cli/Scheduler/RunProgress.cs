using System.Globalization;
using Billing.Cli.LoadTest;
using Billing.Contracts.Runs;

namespace Billing.Cli.Scheduler;

/// <summary>
/// Progress of a billing run on stderr, one line per poll, e.g.
/// <c>process  [##########----------]  2/4 shops  50%  succeeded 2  failed 0  1.3 shops/s  2 s</c>.
/// On a terminal the line is rewritten in place at every poll and wiped at the end, so stdout's summary stands alone.
/// Elsewhere (CI logs, files) a plain line is written at each further tenth of the shops, at least every 30 s while
/// the run goes on, and once at the end: a few dozen lines for a long run, not thousands.
/// </summary>
internal sealed class RunProgress
{
    public const int BarWidth = 20;
    private const int PlainStepPercent = 10;
    private const string WipeLine = "\r\u001b[K";
    private static readonly TimeSpan PlainHeartbeat = TimeSpan.FromSeconds(30);

    private readonly TextWriter stderr;
    private readonly bool rewrite;
    private readonly TimeProvider time;
    private readonly long started;
    private long lastLineAt;
    private int lastStep = -1;
    private bool wrote;

    private RunProgress(TextWriter stderr, bool rewrite, TimeProvider time)
    {
        (this.stderr, this.rewrite, this.time) = (stderr, rewrite, time);
        started = time.GetTimestamp();
    }

    public static RunProgress Start(TextWriter stderr, TimeProvider time) => new(stderr, ProgressLine.IsTerminal(stderr), time);

    public void Show(RunResponse run)
    {
        var line = Line(run, time.GetElapsedTime(started));
        if (rewrite)
        {
            stderr.Write(WipeLine + line);
            stderr.Flush();
            wrote = true;
            return;
        }

        var step = Percent(run) / PlainStepPercent;
        if (step > lastStep || !run.IsRunning || time.GetElapsedTime(lastLineAt) >= PlainHeartbeat)
        {
            stderr.WriteLine(line);
            (lastStep, lastLineAt) = (step, time.GetTimestamp());
        }
    }

    /// <summary>Clears the rewritten line, if any, before the summary is printed.</summary>
    public void Finish()
    {
        if (rewrite && wrote)
        {
            stderr.Write(WipeLine);
            stderr.Flush();
            wrote = false;
        }
    }

    internal static string Line(RunResponse run, TimeSpan elapsed)
    {
        var filled = run.ShopsTotal > 0 ? (int)((long)BarWidth * Math.Min(run.ShopsProcessed, run.ShopsTotal) / run.ShopsTotal) : 0;
        var bar = new string('#', filled) + new string('-', BarWidth - filled);
        var seconds = elapsed.TotalSeconds;
        var rate = seconds > 0 ? run.ShopsProcessed / seconds : 0;
        var stage = run.DryRun ? "dry run" : "process";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{stage}  [{bar}]  {run.ShopsProcessed}/{run.ShopsTotal} shops  {Percent(run)}%  succeeded {run.Succeeded}  failed {run.Failed}  {rate:0.0} shops/s  {seconds:0} s");
    }

    private static int Percent(RunResponse run) =>
        run.ShopsTotal > 0 ? (int)(100L * Math.Min(run.ShopsProcessed, run.ShopsTotal) / run.ShopsTotal) : 0;
}
