namespace Billing.Silo.Telemetry;

/// <summary>
/// OpenTelemetry (section <c>Billing:Telemetry</c>). Off by default: then no provider listens, the
/// product's instruments and spans cost a check each, and Orleans propagates no trace context.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Billing:Telemetry";

    public bool Enabled { get; set; }

    /// <summary>Where traces and metrics go over OTLP (e.g. <c>http://127.0.0.1:4317</c>); unset: collected but not exported (a test's exporter, a dashboard's).</summary>
    public string? OtlpEndpoint { get; set; }

    public string ServiceName { get; set; } = "billing-orleans";

    /// <summary>The share of traces started here that are recorded (a caller's sampled trace is always followed).</summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    public IEnumerable<string> Validate()
    {
        if (OtlpEndpoint is not null && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return $"{SectionName}:OtlpEndpoint must be an absolute http(s) URL (got '{OtlpEndpoint}').";
        }

        if (string.IsNullOrWhiteSpace(ServiceName) || ServiceName.Length > 100)
        {
            yield return $"{SectionName}:ServiceName must be 1..100 characters.";
        }

        if (TraceSampleRatio is < 0 or > 1 || double.IsNaN(TraceSampleRatio))
        {
            yield return $"{SectionName}:TraceSampleRatio must be 0..1 (got {TraceSampleRatio}).";
        }
    }
}
