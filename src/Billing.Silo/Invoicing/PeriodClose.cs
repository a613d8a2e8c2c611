using Billing.Domain;

namespace Billing.Silo.Invoicing;

/// <summary>
/// One period, priced and ready to be committed: the invoice document (its number still to be
/// allocated), the next period to open and the terms it opens with, the customer's usage sequence
/// the pricing saw, the pending lines (proration) and the revenue events it bills.
/// </summary>
public sealed record PeriodClose(
    BillingPeriod Period,
    BillingPeriod Next,
    OpeningTerms NextTerms,
    long WatermarkSequence,
    UsageCounts Totals,
    IReadOnlyList<string> PendingLineIds,
    RevenueClaim Revenue,
    int InvoiceYear,
    InvoiceDocument Document)
{
    /// <summary>The shop's last period (it was closed): no period opens after it.</summary>
    public bool IsFinal { get; init; }

    /// <summary>The customer lives on a test clock: the invoice takes its number from the test clocks' own series.</summary>
    public bool OnTestClock { get; init; }
}

/// <summary>What a period opens with: its cycle, and the plan (null: the default) and seats its fixed charges bill from.</summary>
public sealed record OpeningTerms(string Cycle, string? PricePlanId, int Seats)
{
    /// <summary>The terms in effect now: what a shop's first period opens with.</summary>
    public static OpeningTerms Current(ShopTermsRow shop) => new(shop.Cycle, shop.Plan?.Id, shop.Seats);

    /// <summary>The terms from the period end on: a scheduled downgrade and a cycle change take effect there.</summary>
    public static OpeningTerms After(ShopTermsRow shop) => new(shop.Cycle, shop.NextPricePlanId ?? shop.Plan?.Id, shop.NextSeats ?? shop.Seats);
}

/// <summary>
/// Another close of the same period committed first (another silo, or a retry racing this one), or
/// what the close priced changed before it committed.
/// </summary>
/// <summary>A closed shop has no open period: its terms cannot change and no period opens.</summary>
[GenerateSerializer]
public sealed class ShopClosedException(string shopId) : Exception($"Shop {shopId} is closed.");

public sealed class ConcurrentCloseException(string shopId, BillingPeriod period, string what = "was closed by someone else")
    : Exception($"Period {period} of shop {shopId} {what}; reload and look again.");
