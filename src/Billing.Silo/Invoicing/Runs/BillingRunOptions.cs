namespace Billing.Silo.Invoicing.Runs;

/// <summary>Operator-triggered billing runs (section <c>Billing:Runs</c>).</summary>
public sealed class BillingRunOptions
{
    public const string SectionName = "Billing:Runs";

    /// <summary>Shops billed at the same time within one run.</summary>
    public int MaxParallelShops { get; set; } = 8;

    /// <summary>Attempts per shop before it goes to the dead-letter list.</summary>
    public int MaxAttemptsPerShop { get; set; } = 3;

    /// <summary>Wait before the second attempt; it doubles for each further one.</summary>
    public int RetryDelayMs { get; set; } = 200;

    /// <summary>Runs going on at once; more are refused with 429 until one ends.</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Finished runs kept in memory with their per-shop results (older ones keep only their summary, in the database).</summary>
    public int RecentRunsKept { get; set; } = 20;

    /// <summary>Per-shop results one run keeps and reports; the counts always cover every shop.</summary>
    public int MaxResultsPerRun { get; set; } = 1_000;

    /// <summary>Shop ids one request may name.</summary>
    public int MaxShopIdsPerRequest { get; set; } = 10_000;

    public IEnumerable<string> Validate()
    {
        if (MaxParallelShops is < 1 or > 256) yield return "Billing:Runs:MaxParallelShops must be 1..256.";
        if (MaxAttemptsPerShop is < 1 or > 10) yield return "Billing:Runs:MaxAttemptsPerShop must be 1..10.";
        if (RetryDelayMs is < 0 or > 60_000) yield return "Billing:Runs:RetryDelayMs must be 0..60000.";
        if (MaxConcurrentRuns is < 1 or > 16) yield return "Billing:Runs:MaxConcurrentRuns must be 1..16.";
        if (RecentRunsKept is < 1 or > 1_000) yield return "Billing:Runs:RecentRunsKept must be 1..1000.";
        if (MaxResultsPerRun is < 1 or > 100_000) yield return "Billing:Runs:MaxResultsPerRun must be 1..100000.";
        if (MaxShopIdsPerRequest is < 1 or > 1_000_000) yield return "Billing:Runs:MaxShopIdsPerRequest must be 1..1000000.";
    }
}
