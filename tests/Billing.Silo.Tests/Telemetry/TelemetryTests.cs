using System.Diagnostics;
using System.Diagnostics.Metrics;
using Billing.Silo.Telemetry;
using Billing.Silo.Tests.Catalog;
using Billing.Silo.Tests.Closing;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Billing.Silo.Tests.Telemetry;

/// <summary>OpenTelemetry on: a consume is one trace from the HTTP request through the grain call to the journal's durable wait, and the product's meter counts it.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task AConsumeIsOneTraceFromHttpThroughTheGrainToTheJournalAndIsCountedByOutcome()
    {
        await using var database = TestDatabase.CreateSqlite();
        var spans = new List<Activity>();
        await using var silo = CatalogSilo.Start(
            database,
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)),
            new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero),
            new Dictionary<string, string> { ["Billing:Telemetry:Enabled"] = "true" });
        using var consumes = new ConsumeCount(silo.Services.GetRequiredService<BillingMetrics>().Meter);
        var (_, _, key) = await BillingScenario.CustomerAsync(silo, "UTC");

        await BillingScenario.ConsumeAsync(silo, key, 2);

        Activity[] Snapshot()
        {
            lock (spans)
            {
                return [.. spans];
            }
        }

        Activity? request = null;
        await Eventually.TrueAsync(() => (request = Snapshot().LastOrDefault(s => s.DisplayName == "POST /api/v1/billing/tokens/consume")) is not null, "the consume's HTTP span");
        var trace = Snapshot().Where(s => s.TraceId == request!.TraceId).ToList();
        var grainCall = Assert.Single(trace, s => s.DisplayName == "ISubscriptionGrain/ConsumeAsync" && s.Kind == ActivityKind.Server);
        var durable = Assert.Single(trace, s => s.OperationName == "journal.append");
        Assert.Equal(grainCall.SpanId, durable.ParentSpanId);
        Assert.True(IsUnder(grainCall, request!, trace), "the grain call is under the HTTP request");
        Assert.Contains(Snapshot(), s => s.OperationName == "journal.commit" && (int)s.GetTagItem("billing.journal.entries")! >= 1);
        Assert.Equal(2, consumes.Accepted);
    }

    private static bool IsUnder(Activity span, Activity ancestor, List<Activity> trace)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId))
        {
            if (current.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Listens to this silo's meter only (other tests' silos run in the same process).</summary>
    private sealed class ConsumeCount : IDisposable
    {
        private readonly MeterListener listener = new();
        private long accepted;

        public ConsumeCount(Meter meter)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "billing.consumes")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "outcome", Value: "accepted" })
                    {
                        Interlocked.Add(ref accepted, value);
                    }
                }
            });
            listener.Start();
        }

        public long Accepted => Interlocked.Read(ref accepted);

        public void Dispose() => listener.Dispose();
    }
}
