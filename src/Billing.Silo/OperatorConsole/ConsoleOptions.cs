namespace Billing.Silo.OperatorConsole;

/// <summary>The operator console (section <c>Billing:Console</c>).</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Billing:Console";

    /// <summary>
    /// How long the overview reuses the MRR and revenue it computed. They read every shop's plan
    /// history and the month's invoices (4 s on 100,000 shops), and an overview left open or reloaded
    /// by several people should not repeat that; 0 computes them on every view.
    /// </summary>
    public int OverviewCacheSeconds { get; set; } = 60;

    public IEnumerable<string> Validate()
    {
        if (OverviewCacheSeconds is < 0 or > 3_600)
        {
            yield return "Billing:Console:OverviewCacheSeconds must be 0..3600.";
        }
    }
}
