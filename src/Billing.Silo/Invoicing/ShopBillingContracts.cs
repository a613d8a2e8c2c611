using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// Close the shop's periods that are over. <paramref name="ThroughMonth"/> (e.g. 2025-06) limits the
/// close to periods ending by that month's end in the customer's zone; null closes all that are due.
/// A dry run prices them and writes nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("billing.CloseRequest")]
public sealed record CloseRequest([property: Id(0)] YearMonth? ThroughMonth, [property: Id(1)] bool DryRun);

[GenerateSerializer, Alias("billing.ShopBillingOutcome")]
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

[GenerateSerializer, Immutable, Alias("billing.InvoiceLineView")]
public sealed record InvoiceLineView([property: Id(0)] string Service, [property: Id(1)] decimal Quantity, [property: Id(2)] decimal UnitPrice, [property: Id(3)] decimal Amount);

/// <summary>An invoice as a billing run reports it; id and number are null for a dry run.</summary>
[GenerateSerializer, Immutable, Alias("billing.InvoiceSummary")]
public sealed record InvoiceSummary(
    [property: Id(0)] string? InvoiceId,
    [property: Id(1)] string? Number,
    [property: Id(2)] DateOnly PeriodStart,
    [property: Id(3)] DateOnly PeriodEnd,
    [property: Id(4)] string Currency,
    [property: Id(5)] decimal Subtotal,
    [property: Id(6)] decimal VatRate,
    [property: Id(7)] decimal Vat,
    [property: Id(8)] decimal Total,
    [property: Id(9)] IReadOnlyList<InvoiceLineView> Lines);

[GenerateSerializer, Immutable, Alias("billing.ShopBillingResult")]
public sealed record ShopBillingResult([property: Id(0)] string ShopId, [property: Id(1)] ShopBillingOutcome Outcome, [property: Id(2)] IReadOnlyList<InvoiceSummary> Invoices);
