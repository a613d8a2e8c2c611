using System.Text.Json.Serialization;

namespace Billing.Cli.Scheduler;

/// <summary>Body of <c>POST /api/billing-scheduler/process-monthly-billing</c>; absent shop ids mean every shop, absent period the previous month.</summary>
internal sealed record ProcessRequest(IReadOnlyList<string>? ShopIds, string? Period, bool DryRun, bool Wait);

/// <summary>Body of <c>POST /api/billing-scheduler/process-shop-billing/{shop_id}</c>.</summary>
internal sealed record ShopRequest(string? Period, bool DryRun);

/// <summary>The 202 answer to a run started with <c>wait: false</c>.</summary>
internal sealed record RunStarted(string RunId, string Status);

internal sealed record CurrencyTotal(string Currency, long Invoices, decimal Subtotal, decimal Vat, decimal Total);

internal sealed record InvoiceLine(string Service, decimal Quantity, decimal UnitPrice, decimal Amount);

/// <summary>An invoice issued, found already issued, or (dry run) one that would be issued: then it has no id or number.</summary>
internal sealed record InvoiceView(
    string? InvoiceId, string? Number, string PeriodStart, string PeriodEnd, string Currency,
    decimal Subtotal, decimal Vat, decimal VatRate, decimal Total, IReadOnlyList<InvoiceLine> Lines);

internal sealed record ShopResult(string ShopId, string Status, int Attempts, string? Error, IReadOnlyList<InvoiceView> Invoices)
{
    public const string Failed = "failed";
    public const string WouldInvoice = "would_invoice";
}

internal sealed record ShopFailure(string ShopId, string? Error, int Attempts);

/// <summary>
/// A RunSummary (in <c>status</c>'s run list) or a RunResult (from <c>runs/{id}</c> and the process calls): one type,
/// the result's extra lists are empty in a summary. Counts always cover every shop; <see cref="Results"/> may be cut
/// short by the silo, which <see cref="ResultsTruncated"/> says.
/// </summary>
internal sealed record RunReport
{
    public const string Running = "running";
    public const string Completed = "completed";

    public required string RunId { get; init; }
    public required string Status { get; init; }
    public string? Trigger { get; init; }
    public required string Period { get; init; }
    public required bool DryRun { get; init; }
    public required string StartedAt { get; init; }
    public string? FinishedAt { get; init; }
    public required long ShopsTotal { get; init; }
    public required long ShopsProcessed { get; init; }
    public required long Succeeded { get; init; }
    public required long Failed { get; init; }
    public required long Skipped { get; init; }
    public required long InvoicesIssued { get; init; }
    public required long InvoicesExisting { get; init; }
    public IReadOnlyList<CurrencyTotal> Totals { get; init; } = [];
    public IReadOnlyList<ShopResult> Results { get; init; } = [];
    public bool ResultsTruncated { get; init; }
    public IReadOnlyList<ShopFailure> Failures { get; init; } = [];

    public bool IsRunning => Status == Running;

    /// <summary>Whether the run's outcome should fail a script: a shop failed, or the run did not complete.</summary>
    public bool HasFailures => Failed > 0 || Failures.Count > 0 || Status != Completed;
}

internal sealed record DeadLetter(string ShopId, string Period, string? Error, int Attempts, string FailedAt, string? RunId);

/// <summary>The body of <c>GET /api/billing-scheduler/status</c>.</summary>
internal sealed record StatusReport(
    IReadOnlyList<RunReport> Runs, IReadOnlyList<DeadLetter> DeadLetters, long DeadLetterCount, long OpenPeriods, long InvoicesIssued);

/// <summary>
/// Source-generated snake_case JSON for the billing scheduler API. Absent optional fields are left out of requests;
/// replies that lack a required field, or carry null where the contract has none, fail to read instead of reading as zero.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ProcessRequest))]
[JsonSerializable(typeof(ShopRequest))]
[JsonSerializable(typeof(RunStarted))]
[JsonSerializable(typeof(RunReport))]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class SchedulerJson : JsonSerializerContext;
