namespace Billing.Silo.Auth;

/// <summary>The API key cache (section <c>Billing:ApiKeys</c>).</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Billing:ApiKeys";

    /// <summary>The longest a revoked key keeps working on a silo that cached it; 0 turns the cache off.</summary>
    public const int MaxCacheSeconds = 5;

    /// <summary>How long a looked-up key (or a miss) is trusted before it is read again.</summary>
    public int CacheSeconds { get; set; } = MaxCacheSeconds;

    /// <summary>Known keys kept in memory; beyond this, keys are looked up on each request.</summary>
    public int MaxCachedKeys { get; set; } = 100_000;

    /// <summary>Unknown or revoked prefixes remembered, kept apart so a flood of made-up keys cannot evict real ones.</summary>
    public int MaxCachedMisses { get; set; } = 10_000;

    public IEnumerable<string> Validate()
    {
        if (CacheSeconds is < 0 or > MaxCacheSeconds) yield return $"Billing:ApiKeys:CacheSeconds must be 0..{MaxCacheSeconds}.";
        if (MaxCachedKeys is < 1 or > 10_000_000) yield return "Billing:ApiKeys:MaxCachedKeys must be 1..10000000.";
        if (MaxCachedMisses is < 0 or > 10_000_000) yield return "Billing:ApiKeys:MaxCachedMisses must be 0..10000000.";
    }
}

/// <summary>The operator's key for the admin API (<c>Billing:AdminKey</c>); generated and stored as a hash on first start when unset.</summary>
public sealed class AdminKeyOptions
{
    public const int MinLength = 32;
    public const int MaxLength = 256;

    public string? AdminKey { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(AdminKey);

    public IEnumerable<string> Validate()
    {
        if (IsConfigured && (AdminKey!.Length is < MinLength or > MaxLength || AdminKey.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            yield return $"Billing:AdminKey must be {MinLength}..{MaxLength} characters without spaces (leave it unset to have one generated).";
        }
    }
}
