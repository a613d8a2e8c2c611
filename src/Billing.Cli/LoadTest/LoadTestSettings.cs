namespace Billing.Cli.LoadTest;

/// <summary>A validated <c>billing loadtest</c> command line.</summary>
internal sealed record LoadTestSettings(
    Uri Url,
    string AdminKey,
    int Shops,
    int Connections,
    int DurationSeconds,
    int WarmupSeconds,
    int TokensPerCall,
    long TokensPerCustomer,
    long MaxRequests,
    int? Seed,
    bool Json)
{
    /// <summary>Setup and conservation calls in flight at once: enough to be quick, few enough not to be a load test of their own.</summary>
    public const int AdminConcurrency = 16;

    /// <summary>Upper bound on a whole setup or conservation pass, whatever the number of shops.</summary>
    public static readonly TimeSpan MaxPassDuration = TimeSpan.FromMinutes(30);

    /// <summary>Deadline of a single request, admin or load.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);

    public TimeSpan Warmup => TimeSpan.FromSeconds(WarmupSeconds);
}
