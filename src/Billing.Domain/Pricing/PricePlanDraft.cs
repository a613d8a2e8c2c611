namespace Billing.Domain;

/// <summary>
/// A price plan as an admin proposes it (an HTTP body with snake_case names): every field may be
/// missing or wrong; <see cref="PricePlan.TryCreate"/> says which, with paths like
/// <c>charges[2].tiers[0].unit_price</c>. Amounts are in the plan's currency.
/// </summary>
public sealed record PricePlanDraft(string? Name, string? Currency, IReadOnlyList<ChargeDraft?>? Charges);

/// <summary>
/// One charge of a draft. <paramref name="Type"/> decides which other fields apply; a field that does
/// not apply to the type is an error rather than silently ignored.
/// <list type="table">
/// <item><term>flat</term><description>amount</description></item>
/// <item><term>per_unit</term><description>metric, unit_price, endpoint_prefix (optional)</description></item>
/// <item><term>per_seat</term><description>price_per_seat</description></item>
/// <item><term>tiered</term><description>metric, mode (graduated | volume), tiers</description></item>
/// <item><term>package</term><description>metric, package_size, price_per_package</description></item>
/// <item><term>revenue_share</term><description>percentage (0..1), fraud_rules (optional; defaults)</description></item>
/// </list>
/// </summary>
public sealed record ChargeDraft(
    string? Type,
    string? Service,
    decimal? Amount = null,
    string? Metric = null,
    string? EndpointPrefix = null,
    decimal? UnitPrice = null,
    decimal? PricePerSeat = null,
    string? Mode = null,
    IReadOnlyList<TierDraft?>? Tiers = null,
    long? PackageSize = null,
    decimal? PricePerPackage = null,
    decimal? Percentage = null,
    FraudRulesDraft? FraudRules = null)
{
    /// <summary>The API names of the optional fields this draft sets.</summary>
    internal IEnumerable<string> FieldsSet() =>
        new (string Name, object? Value)[]
        {
            ("amount", Amount), ("metric", Metric), ("endpoint_prefix", EndpointPrefix), ("unit_price", UnitPrice),
            ("price_per_seat", PricePerSeat), ("mode", Mode), ("tiers", Tiers), ("package_size", PackageSize),
            ("price_per_package", PricePerPackage), ("percentage", Percentage), ("fraud_rules", FraudRules),
        }
        .Where(field => field.Value is not null)
        .Select(field => field.Name);
}

/// <summary>One tier of a tiered charge draft: up_to (absent only on the last tier), unit_price, flat_fee (optional).</summary>
public sealed record TierDraft(long? UpTo, decimal? UnitPrice, decimal? FlatFee = null);

/// <summary>A revenue share's fraud rules; an absent field takes the <see cref="Billing.Domain.FraudRules.Default"/> value (no amount cap).</summary>
public sealed record FraudRulesDraft(decimal? MaxEventAmount = null, int? MaxEventsPerFingerprint = null, int? FingerprintWindowMinutes = null);
