using Billing.Silo.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace Billing.Silo.Telemetry;

/// <summary>
/// OpenTelemetry when <c>Billing:Telemetry:Enabled</c>: traces of HTTP requests, Orleans grain calls
/// and the product's spans (a consume's durable wait, each journal commit, each period close), and
/// metrics (the product's meter, Orleans' meters, ASP.NET Core's), exported over OTLP when an
/// endpoint is set. Off, nothing listens: no provider is built and Orleans propagates no context.
/// </summary>
public static class TelemetryHosting
{
    /// <summary>Orleans' meter: grain calls, activations, messaging.</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    public static bool IsTelemetryEnabled(this IConfiguration configuration) =>
        configuration.GetSection(TelemetryOptions.SectionName).GetValue<bool>(nameof(TelemetryOptions.Enabled));

    public static void AddBillingTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<BillingMetrics>();
        var section = builder.Configuration.GetSection(TelemetryOptions.SectionName);
        builder.Services.AddValidatedOptions<TelemetryOptions>(section, o => o.Validate());
        var settings = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!settings.Enabled)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.TraceSampleRatio)))
                .AddSource(BillingTelemetry.Name, ActivitySources.ApplicationGrainActivitySourceName, ActivitySources.RuntimeActivitySourceName)
                .AddAspNetCoreInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(BillingTelemetry.Name, OrleansMeterName)
                .AddAspNetCoreInstrumentation());
        if (settings.OtlpEndpoint is { } endpoint)
        {
            telemetry.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, new Uri(endpoint));
        }
    }
}
