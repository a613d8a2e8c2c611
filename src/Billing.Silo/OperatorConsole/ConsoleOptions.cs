namespace Billing.Silo.OperatorConsole;

/// <summary>The operator console (section <c>Billing:Console</c>).</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Billing:Console";

    /// <summary>
    /// How long the overview reuses the MRR chart it computed. The report scans every shop's plan
    /// history (2–3 s on 100,000 shops), and an overview left open or reloaded by several people should
    /// not repeat that; 0 computes it on every view.
    /// </summary>
    public int MrrCacheSeconds { get; set; } = 60;

    public IEnumerable<string> Validate()
    {
        if (MrrCacheSeconds is < 0 or > 3_600)
        {
            yield return "Billing:Console:MrrCacheSeconds must be 0..3600.";
        }
    }
}
