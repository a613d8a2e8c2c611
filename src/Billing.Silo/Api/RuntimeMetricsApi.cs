using Billing.Silo.Auth;
using Billing.Silo.Metering.Journal;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Silo.Api;

public sealed record JournalMetricsResponse(
    long Batches, long Entries, double AverageBatchSize, double CommitP50Ms, double CommitP99Ms, double CommitMaxMs, int Pending, int HeldBack, int BatchesInFlight, int UnflushedBalances);

/// <summary>Live activations of one grain type on one silo, as Orleans counts them.</summary>
public sealed record GrainActivationsResponse(string GrainType, string Silo, int Activations);

/// <summary><c>journal</c> is null on a front door: the journals live in the silos, which answer for their own.</summary>
public sealed record RuntimeMetricsResponse(IReadOnlyList<GrainActivationsResponse> Grains, JournalMetricsResponse? Journal);

/// <summary>
/// <c>GET /api/v1/admin/runtime/metrics</c>: the grains Orleans holds per type and silo, and this
/// silo's usage journal (batch sizes, commit latency, backlog), which Orleans does not see.
/// </summary>
public static class RuntimeMetricsApi
{
    /// <summary>Orleans names grain types by their class: the product's grains, not Orleans' own.</summary>
    public const string BillingGrainTypePrefix = "Billing.";

    public static IEndpointRouteBuilder MapRuntimeMetricsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/admin/runtime/metrics", async (IGrainFactory grains, [FromServices] UsageJournal? journal) =>
            {
                var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
                var activations = statistics
                    .Where(s => s.GrainType.StartsWith(BillingGrainTypePrefix, StringComparison.Ordinal))
                    .OrderBy(s => s.GrainType, StringComparer.Ordinal).ThenBy(s => s.SiloAddress.ToString(), StringComparer.Ordinal)
                    .Select(s => new GrainActivationsResponse(s.GrainType, s.SiloAddress.ToString(), s.ActivationCount))
                    .ToList();
                return TypedResults.Ok(new RuntimeMetricsResponse(activations, journal is null ? null : Journal(journal)));
            })
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
