using System.Text.Json.Serialization;

namespace Billing.Contracts.Runs;

/// <summary>The 202 answer to a run started with <c>wait: false</c>.</summary>
public sealed record RunStartedResponse(string RunId, string Status, string StatusUrl);

/// <summary>
/// A billing run as the API shows it: in <c>status</c>'s run list (a summary, without results and failures), or from
/// <c>runs/{id}</c> and the process calls (with them). Counts always cover every shop; <see cref="Results"/> may be cut
/// short by the silo, which <see cref="ResultsTruncated"/> says. The parameter order is the order on the wire.
/// </summary>
/// <param name="Status"><see cref="Running"/>, <see cref="Completed"/> or <c>failed</c>.</param>
/// <param name="Trigger"><c>api</c>, <c>reminder</c> or <c>github</c>.</param>
/// <param name="Period">The month billed, e.g. <c>2025-06</c>.</param>
/// <param name="FinishedAt">Null while the run is going on.</param>
/// <param name="Error">Why the run as a whole failed; null unless it did.</param>
/// <param name="Results">Left out of summaries, as are <paramref name="ResultsTruncated"/> and <paramref name="Failures"/>.</param>
public sealed record RunResponse(
    string RunId,
    string Status,
    string Trigger,
    string Period,
    bool DryRun,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    long ShopsTotal,
    long ShopsProcessed,
    long Succeeded,
    long Failed,
    long Skipped,
    long InvoicesIssued,
    long InvoicesExisting,
    IReadOnlyList<RunCurrencyTotalResponse> Totals,
    string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RunShopResultResponse>? Results = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ResultsTruncated = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RunShopFailureResponse>? Failures = null)
{
    public const string Running = "running";
    public const string Completed = "completed";
}

/// <summary>Invoices of one currency in a run (or that a dry run would issue).</summary>
public sealed record RunCurrencyTotalResponse(string Currency, long Invoices, decimal Subtotal, decimal Vat, decimal Total);

/// <summary>One shop's outcome in a run; <see cref="Status"/> is e.g. <c>invoiced</c>, <see cref="WouldInvoice"/> or <see cref="Failed"/>.</summary>
public sealed record RunShopResultResponse(string ShopId, string Status, int Attempts, string? Error, IReadOnlyList<RunInvoiceResponse> Invoices)
{
    public const string Failed = "failed";
    public const string WouldInvoice = "would_invoice";
}

/// <summary>A shop that failed every attempt of a run.</summary>
public sealed record RunShopFailureResponse(string ShopId, string Error, int Attempts);

/// <summary>An invoice issued, found already issued, or (dry run) one that would be issued: then it has no id or number.</summary>
public sealed record RunInvoiceResponse(
    string? InvoiceId,
    string? Number,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string Currency,
    decimal Subtotal,
    decimal VatRate,
    decimal Vat,
    decimal Total,
    IReadOnlyList<RunInvoiceLineResponse> Lines);

public sealed record RunInvoiceLineResponse(string Service, decimal Quantity, decimal UnitPrice, decimal Amount);
