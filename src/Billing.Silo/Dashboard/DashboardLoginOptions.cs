namespace Billing.Silo.Dashboard;

/// <summary>Browser sessions of the Orleans dashboard (section <c>Billing:Dashboard</c>).</summary>
public sealed class DashboardLoginOptions
{
    public const string SectionName = "Billing:Dashboard";

    /// <summary>A week: a session cookie is a bearer credential that cannot be revoked one by one.</summary>
    public const int MaxSessionMinutes = 7 * 24 * 60;

    /// <summary>How long a login lasts; the operator logs in again after it. Shortening it also ends longer sessions already issued.</summary>
    public int SessionMinutes { get; set; } = 8 * 60;

    public IEnumerable<string> Validate()
    {
        if (SessionMinutes is < 1 or > MaxSessionMinutes) yield return $"Billing:Dashboard:SessionMinutes must be 1..{MaxSessionMinutes}.";
    }
}
