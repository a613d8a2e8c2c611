namespace Billing.Silo.Auth;

/// <summary>
/// Request rate limits (section <c>Billing:RateLimits</c>): a token bucket per API key on the
/// metered endpoints, and a cap on failed authentications per client address, which stops a
/// guessing client before it reaches a key lookup.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Billing:RateLimits";
    public const int MaxRate = 1_000_000;

    /// <summary>Metered requests (consumes, usage batches) per second per API key, sustained; 0 turns the limit off.</summary>
    public int MeteredRequestsPerSecondPerKey { get; set; } = 1_000;

    /// <summary>How many metered requests a key may send at once above the sustained rate.</summary>
    public int MeteredBurstPerKey { get; set; } = 2_000;

    /// <summary>Failed authentications a client address may make per window before every request from it is 429 until the window ends.</summary>
    public int FailedAuthPerWindow { get; set; } = 20;

    public int FailedAuthWindowSeconds { get; set; } = 60;

    public IEnumerable<string> Validate()
    {
        if (MeteredRequestsPerSecondPerKey is < 0 or > MaxRate || MeteredBurstPerKey is < 1 or > MaxRate)
        {
            yield return $"{SectionName}: MeteredRequestsPerSecondPerKey 0..{MaxRate} (0: off), MeteredBurstPerKey 1..{MaxRate}.";
        }

        if (FailedAuthPerWindow is < 1 or > 100_000 || FailedAuthWindowSeconds is < 1 or > 86_400)
        {
            yield return $"{SectionName}: FailedAuthPerWindow 1..100000, FailedAuthWindowSeconds 1..86400.";
        }
    }
}
