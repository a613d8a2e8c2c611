using System.Text.Json.Serialization;
using Billing.Silo.Invoicing;
using Billing.Silo.Invoicing.Runs;

namespace Billing.Silo.Api.Invoicing;

public sealed record ProcessMonthlyBillingRequest(IReadOnlyList<string>? ShopIds, string? Period, bool? DryRun, bool? Wait);

public sealed record ProcessShopBillingRequest(string? Period, bool? DryRun);

public sealed record RunStartedResponse(string RunId, string Status, string StatusUrl);

public sealed record ShopResultResponse(string ShopId, string Status, int Attempts, string? Error, IReadOnlyList<InvoiceSummary> Invoices);

/// <summary>A run as the API shows it; results and failures only when the run is looked at on its own.</summary>
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
    IReadOnlyList<CurrencyTotal> Totals,
    string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ShopResultResponse>? Results,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ResultsTruncated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ShopRunFailure>? Failures)
{
    public static RunResponse From(RunSnapshot run, bool withResults) => new(
        run.RunId, Snake(run.Status.ToString()), Snake(run.Trigger.ToString()), run.Period, run.DryRun, run.StartedAt, run.FinishedAt,
        run.ShopsTotal, run.ShopsProcessed, run.Succeeded, run.Failed, run.Skipped, run.InvoicesIssued, run.InvoicesExisting, run.Totals, run.Error,
        withResults ? [.. run.Results.Select(r => new ShopResultResponse(r.ShopId, Snake(r.Status.ToString()), r.Attempts, r.Error, r.Invoices))] : null,
        withResults ? run.ResultsTruncated : null,
        withResults ? run.Failures : null);

    /// <summary>AlreadyInvoiced → already_invoiced: the API's names for statuses.</summary>
    public static string Snake(string pascal) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(pascal);
}

public sealed record SchedulerStatusResponse(
    IReadOnlyList<RunResponse> Runs,
    IReadOnlyList<DeadLetter> DeadLetters,
    long DeadLetterCount,
    long OpenPeriods,
    long InvoicesIssued);

public sealed record SchedulerHealthResponse(string Status, DateTimeOffset? LastRunAt, string? LastRunStatus, long DeadLetters);
