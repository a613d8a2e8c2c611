using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// Close the shop's periods that are over. <paramref name="ThroughMonth"/> (e.g. 2025-06) limits the
/// close to periods ending by that month's end in the customer's zone; null closes all that are due.
/// A dry run prices them and writes nothing.
/// </summary>
public sealed record CloseRequest(YearMonth? ThroughMonth, bool DryRun);

public enum ShopBillingOutcome
{
    /// <summary>At least one period closed and its invoice issued in this call.</summary>
    Invoiced,

    /// <summary>Nothing new: the periods asked for already have their invoices.</summary>
    AlreadyInvoiced,

    /// <summary>Dry run: the invoices that a real run would issue.</summary>
    WouldInvoice,

    /// <summary>The period asked for has not ended (or its grace for late events has not passed).</summary>
    NotDue,
}

public sealed record InvoiceLineView(string Service, decimal Quantity, decimal UnitPrice, decimal Amount);

/// <summary>An invoice as a billing run reports it; id and number are null for a dry run.</summary>
public sealed record InvoiceSummary(
    string? InvoiceId,
    string? Number,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string Currency,
    decimal Subtotal,
    decimal VatRate,
    decimal Vat,
    decimal Total,
    IReadOnlyList<InvoiceLineView> Lines);

public sealed record ShopBillingResult(string ShopId, ShopBillingOutcome Outcome, IReadOnlyList<InvoiceSummary> Invoices);
