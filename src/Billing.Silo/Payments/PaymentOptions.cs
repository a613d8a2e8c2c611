namespace Billing.Silo.Payments;

/// <summary>How customers pay (section <c>Billing:Payments</c>).</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Billing:Payments";
    public const string SandboxProvider = "sandbox";
    public const int MaxSweepBatchSize = 1_000;
    public const int MaxSweepIntervalSeconds = 3_600;

    /// <summary>
    /// <c>sandbox</c> (the default): offline, Stripe's published test cards behave as in Stripe's
    /// test mode, so demos and the embedded default work without any account.
    /// </summary>
    public string Provider { get; set; } = SandboxProvider;

    /// <summary>How often a silo grants the purchases that a crash left paid but not yet granted.</summary>
    public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>Ungranted purchases one sweep handles; the rest wait for the next.</summary>
    public int SweepBatchSize { get; set; } = 100;

    public IEnumerable<string> Validate()
    {
        if (!string.Equals(Provider, SandboxProvider, StringComparison.Ordinal))
        {
            yield return $"Billing:Payments:Provider must be '{SandboxProvider}' (got '{Provider}'); no other provider is built in yet.";
        }

        if (SweepIntervalSeconds is < 1 or > MaxSweepIntervalSeconds)
        {
            yield return $"Billing:Payments:SweepIntervalSeconds must be 1..{MaxSweepIntervalSeconds} (got {SweepIntervalSeconds}).";
        }

        if (SweepBatchSize is < 1 or > MaxSweepBatchSize)
        {
            yield return $"Billing:Payments:SweepBatchSize must be 1..{MaxSweepBatchSize} (got {SweepBatchSize}).";
        }
    }
}
