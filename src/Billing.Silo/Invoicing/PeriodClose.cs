using Billing.Domain;

namespace Billing.Silo.Invoicing;

/// <summary>
/// One period, priced and ready to be committed: the invoice document (its number still to be
/// allocated), the next period to open, the customer's usage sequence the pricing saw, and the
/// pending lines (proration) it bills.
/// </summary>
public sealed record PeriodClose(
    BillingPeriod Period,
    string Cycle,
    BillingPeriod Next,
    long WatermarkSequence,
    UsageCounts Totals,
    IReadOnlyList<string> PendingLineIds,
    int InvoiceYear,
    InvoiceDocument Document);

/// <summary>Another close of the same period committed first (another silo, or a retry racing this one).</summary>
public sealed class ConcurrentCloseException(string shopId, BillingPeriod period)
    : Exception($"Period {period} of shop {shopId} was closed by someone else; reload and look again.");
