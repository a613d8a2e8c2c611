namespace Billing.Domain;

/// <summary>What a usage-based charge counts in a period. API names: requests, tokens, errors.</summary>
public enum UsageMetric
{
    Requests = 0,
    Tokens = 1,
    Errors = 2,
}

/// <summary>
/// How a tiered charge applies its tiers. Graduated: each unit is priced by the tier it falls in
/// (the first 1,000 at one price, the next at another). Volume: every unit is priced by the one
/// tier the period's total falls in. API names: graduated, volume.
/// </summary>
public enum TierMode
{
    Graduated = 0,
    Volume = 1,
}

/// <summary>The kinds of charge. API names: flat, per_unit, per_seat, tiered, package, revenue_share.</summary>
public enum ChargeType
{
    Flat = 0,
    PerUnit = 1,
    PerSeat = 2,
    Tiered = 3,
    Package = 4,
    RevenueShare = 5,
}
