using Billing.Runtime.Metrics;
using Billing.Silo.Auth;
using Billing.Silo.Metering.Journal;

namespace Billing.Silo.Api;

public sealed record JournalMetricsResponse(
    long Batches, long Entries, double AverageBatchSize, double CommitP50Ms, double CommitP99Ms, double CommitMaxMs, int Pending, int HeldBack, int BatchesInFlight, int UnflushedBalances);

public sealed record RuntimeMetricsResponse(IReadOnlyList<GrainTypeMetricsSnapshot> Grains, JournalMetricsResponse Journal);

/// <summary><c>GET /api/v1/admin/runtime/metrics</c>: per grain type and the usage journal, for operators and the dashboard.</summary>
public static class RuntimeMetricsApi
{
    public static IEndpointRouteBuilder MapRuntimeMetricsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/admin/runtime/metrics", (IGrainRuntimeMetrics grains, UsageJournal journal) =>
            TypedResults.Ok(new RuntimeMetricsResponse(grains.Snapshot(), Journal(journal))))
            .RequireAdminKey()
            .WithName("RuntimeMetrics");
        return routes;
    }

    private static JournalMetricsResponse Journal(UsageJournal journal)
    {
        var batches = journal.Batches;
        var entries = journal.Entries;
        var (pending, heldBack, inFlight) = journal.Backlog;
        return new JournalMetricsResponse(
            batches, entries, batches == 0 ? 0 : (double)entries / batches,
            journal.CommitLatency.PercentileMicroseconds(0.50) / 1000.0, journal.CommitLatency.PercentileMicroseconds(0.99) / 1000.0,
            journal.CommitLatency.MaxMicroseconds / 1000.0, pending, heldBack, inFlight, journal.UnflushedBalances);
    }
}
