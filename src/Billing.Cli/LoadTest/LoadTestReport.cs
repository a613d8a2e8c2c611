using System.Globalization;
using System.Text;

namespace Billing.Cli.LoadTest;

internal sealed record LatencyReport(double P50, double P90, double P99, double Max)
{
    public static LatencyReport From(LatencyRecorder latency) => new(
        Milliseconds(latency.PercentileMicroseconds(0.50)),
        Milliseconds(latency.PercentileMicroseconds(0.90)),
        Milliseconds(latency.PercentileMicroseconds(0.99)),
        Milliseconds(latency.MaxMicroseconds));

    private static double Milliseconds(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}

/// <summary>The measured part of one phase (warm-up excluded).</summary>
internal sealed record PhaseReport(
    long Requests, double ElapsedSeconds, double RequestsPerSecond, LatencyReport LatencyMs, SortedDictionary<string, long> StatusCounts)
{
    public static PhaseReport From(SegmentResult result) => new(
        result.Recorder.Completed,
        Math.Round(result.Elapsed.TotalSeconds, 3),
        Math.Round(result.RequestsPerSecond, 1),
        LatencyReport.From(result.Recorder.Latency),
        result.Recorder.StatusCounts());
}

/// <summary>Everything <c>billing loadtest</c> prints: as text by default, as this object in snake_case JSON with <c>--json</c>.</summary>
internal sealed record LoadTestReport(
    string Url,
    int Shops,
    int Connections,
    int DurationSeconds,
    int WarmupSeconds,
    int TokensPerCall,
    double SetupSeconds,
    PhaseReport Consume,
    PhaseReport Bare,
    double ConsumeToBareRatio,
    ConservationReport Conservation)
{
    public static double Ratio(PhaseReport consume, PhaseReport bare) =>
        bare.RequestsPerSecond > 0 ? Math.Round(consume.RequestsPerSecond / bare.RequestsPerSecond, 4) : 0;

    public string ToText()
    {
        var text = new StringBuilder();
        Line(text, $"loadtest      {Url}  shops {Shops}  connections {Connections}  duration {DurationSeconds} s  warm-up {WarmupSeconds} s  tokens/call {TokensPerCall}");
        Line(text, $"setup         {Shops} shops in {SetupSeconds:0.00} s");
        Phase(text, "consume", Consume);
        Phase(text, "bare", Bare);
        Line(text, $"ratio         consume/bare {ConsumeToBareRatio:0.000}");
        if (Conservation.Ok)
        {
            Line(text, $"conservation: ok ({Conservation.Equation()})");
            return text.ToString();
        }

        Line(text, $"conservation: FAILED for {Conservation.CustomersMismatched} of {Conservation.CustomersChecked} customers (summed: {Conservation.Figures()})");
        foreach (var mismatch in Conservation.Mismatches)
        {
            Line(text, $"  customer {mismatch.CustomerId}: {mismatch.Reason}");
        }

        if (Conservation.CustomersMismatched > Conservation.Mismatches.Count)
        {
            Line(text, $"  … and {Conservation.CustomersMismatched - Conservation.Mismatches.Count} more");
        }

        return text.ToString();
    }

    private static void Phase(StringBuilder text, string name, PhaseReport phase)
    {
        var latency = phase.LatencyMs;
        Line(text, $"{name,-13} {phase.Requests} requests in {phase.ElapsedSeconds:0.00} s  {phase.RequestsPerSecond:0.0} req/s");
        Line(text, $"{"",-13} latency ms  p50 {latency.P50:0.000}  p90 {latency.P90:0.000}  p99 {latency.P99:0.000}  max {latency.Max:0.000}");
        var statuses = string.Join("  ", phase.StatusCounts.Select(pair => $"{pair.Key}: {pair.Value.ToString(CultureInfo.InvariantCulture)}"));
        Line(text, $"{"",-13} status {(statuses.Length == 0 ? "none" : statuses)}");
    }

    private static void Line(StringBuilder text, FormattableString line) => text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
