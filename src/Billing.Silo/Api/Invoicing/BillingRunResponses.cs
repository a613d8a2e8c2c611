using Billing.Contracts.Runs;
using Billing.Silo.Invoicing;
using Billing.Silo.Invoicing.Runs;

namespace Billing.Silo.Api.Invoicing;

/// <summary>Not in Billing.Contracts: the CLI does not read it.</summary>
public sealed record SchedulerHealthResponse(string Status, DateTimeOffset? LastRunAt, string? LastRunStatus, long DeadLetters);

/// <summary>
/// A run's state as the wire contract shows it. The run's own records stay in the silo: they are stored as JSON and
/// carried between grains, so their shape must not move when the API's does, or the reverse.
/// </summary>
public static class BillingRunResponses
{
    /// <summary>Results and failures only when the run is looked at on its own, not in a list of runs.</summary>
    public static RunResponse From(RunSnapshot run, bool withResults) => new(
        run.RunId, Snake(run.Status.ToString()), Snake(run.Trigger.ToString()), run.Period, run.DryRun, run.StartedAt, run.FinishedAt,
        run.ShopsTotal, run.ShopsProcessed, run.Succeeded, run.Failed, run.Skipped, run.InvoicesIssued, run.InvoicesExisting,
        [.. run.Totals.Select(t => new RunCurrencyTotalResponse(t.Currency, t.Invoices, t.Subtotal, t.Vat, t.Total))], run.Error,
        withResults ? [.. run.Results.Select(ResultOf)] : null,
        withResults ? run.ResultsTruncated : null,
        withResults ? [.. run.Failures.Select(f => new RunShopFailureResponse(f.ShopId, f.Error, f.Attempts))] : null);

    /// <summary>AlreadyInvoiced → already_invoiced: the API's names for statuses.</summary>
    public static string Snake(string pascal) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(pascal);

    private static RunShopResultResponse ResultOf(ShopRunResult result) =>
        new(result.ShopId, Snake(result.Status.ToString()), result.Attempts, result.Error, [.. result.Invoices.Select(InvoiceOf)]);

    private static RunInvoiceResponse InvoiceOf(InvoiceSummary invoice) => new(
        invoice.InvoiceId, invoice.Number, invoice.PeriodStart, invoice.PeriodEnd, invoice.Currency, invoice.Subtotal, invoice.VatRate, invoice.Vat,
        invoice.Total, [.. invoice.Lines.Select(l => new RunInvoiceLineResponse(l.Service, l.Quantity, l.UnitPrice, l.Amount))]);
}
