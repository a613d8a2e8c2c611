using Billing.Domain;

namespace Billing.Silo.Invoicing;

/// <summary>
/// One period, priced and ready to be committed: the invoice document (its number still to be
/// allocated), the next period to open, the customer's usage sequence the pricing saw, the
/// pending lines (proration) and the revenue events it bills.
/// </summary>
public sealed record PeriodClose(
    BillingPeriod Period,
    string Cycle,
    BillingPeriod Next,
    long WatermarkSequence,
    UsageCounts Totals,
    IReadOnlyList<string> PendingLineIds,
    RevenueClaim Revenue,
    int InvoiceYear,
    InvoiceDocument Document);

/// <summary>
/// Another close of the same period committed first (another silo, or a retry racing this one), or
/// what the close priced changed before it committed.
/// </summary>
public sealed class ConcurrentCloseException(string shopId, BillingPeriod period, string what = "was closed by someone else")
    : Exception($"Period {period} of shop {shopId} {what}; reload and look again.");
