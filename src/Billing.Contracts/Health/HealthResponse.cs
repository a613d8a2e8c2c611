namespace Billing.Contracts.Health;

/// <summary>
/// The body of <c>GET /health</c> (200 healthy, 503 degraded). <c>cluster</c>: <c>connected</c> or <c>unreachable</c>;
/// <c>activations</c>: null on a front door, which holds no grains. When the database does not answer the silo sends
/// problem details instead.
/// </summary>
public sealed record HealthResponse(
    string Status, string Role, string Silo, string Storage, string Cluster, int ActiveSilos, int? Activations, DateTimeOffset CheckedAt)
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
}
