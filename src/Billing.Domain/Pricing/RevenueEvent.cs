using NodaTime;

namespace Billing.Domain;

/// <summary>What the attribution pipeline knows about a sale besides its amount.</summary>
[Flags]
public enum RevenueEventFlags
{
    None = 0,

    /// <summary>The order was refunded: no revenue, no share. Cancels every event of the same order.</summary>
    Refunded = 1,

    /// <summary>A test order (test card, sandbox checkout).</summary>
    Test = 2,
}

/// <summary>
/// One sale attributed to the service in a period (seed 002: revenue share of attributed revenue).
/// <paramref name="OrderId"/> is the shop's order id: the same order reported twice is one sale.
/// <paramref name="CustomerFingerprint"/> identifies the buyer (device or card hash) for the velocity
/// rule; null when unknown.
/// </summary>
public sealed record RevenueEvent
{
    public const int MaxOrderIdLength = 100;
    public const int MaxCustomerFingerprintLength = 200;

    public RevenueEvent(string orderId, Money amount, Instant at, string? customerFingerprint = null, RevenueEventFlags flags = RevenueEventFlags.None)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(orderId.Length, MaxOrderIdLength, nameof(orderId));
        if (amount.IsNegative || amount.Amount > PricePlan.MaxAmount || !amount.IsRounded)
        {
            throw new ArgumentOutOfRangeException(
                nameof(amount), amount, $"A sale is between 0 and {PricePlan.MaxAmount} in whole minor units; refunds are flagged, not negative.");
        }

        if (customerFingerprint is not null && (string.IsNullOrWhiteSpace(customerFingerprint) || TextLength.Exceeds(customerFingerprint, MaxCustomerFingerprintLength)))
        {
            throw new ArgumentException($"A customer fingerprint is absent or 1..{MaxCustomerFingerprintLength} non-blank characters.", nameof(customerFingerprint));
        }

        if ((flags & ~(RevenueEventFlags.Refunded | RevenueEventFlags.Test)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(flags), flags, "Unknown revenue event flags.");
        }

        OrderId = orderId;
        Amount = amount;
        At = at;
        CustomerFingerprint = customerFingerprint;
        Flags = flags;
    }

    public string OrderId { get; }

    public Money Amount { get; }

    public Instant At { get; }

    public string? CustomerFingerprint { get; }

    public RevenueEventFlags Flags { get; }
}
