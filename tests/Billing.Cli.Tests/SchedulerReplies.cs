namespace Billing.Cli.Tests;

/// <summary>
/// A RunSummary/RunResult as the silo writes it. Nested lists are raw JSON (built with <see cref="SchedulerReplies"/>)
/// so each test shows the contract it relies on; money is written as JSON numbers with their scale.
/// </summary>
internal sealed record RunJson
{
    public string RunId { get; init; } = FakeSchedulerSilo.RunId;
    public string Status { get; init; } = "completed";
    public string Period { get; init; } = "2025-06";
    public bool DryRun { get; init; }
    public string? FinishedAt { get; init; } = "2025-07-01T02:03:00Z";
    public int ShopsTotal { get; init; } = 4;
    public int ShopsProcessed { get; init; } = 4;
    public int Succeeded { get; init; } = 4;
    public int Failed { get; init; }
    public int Skipped { get; init; }
    public int InvoicesIssued { get; init; }
    public int InvoicesExisting { get; init; }
    public string Totals { get; init; } = "[]";
    public string Results { get; init; } = "[]";
    public bool ResultsTruncated { get; init; }
    public string Failures { get; init; } = "[]";

    public string Json => $$"""
        {"run_id":"{{RunId}}","status":"{{Status}}","trigger":"api","period":"{{Period}}","dry_run":{{Bool(DryRun)}},
        "started_at":"2025-07-01T02:00:00Z","finished_at":{{(FinishedAt is null ? "null" : $"\"{FinishedAt}\"")}},
        "shops_total":{{ShopsTotal}},"shops_processed":{{ShopsProcessed}},"succeeded":{{Succeeded}},"failed":{{Failed}},"skipped":{{Skipped}},
        "invoices_issued":{{InvoicesIssued}},"invoices_existing":{{InvoicesExisting}},"totals":{{Totals}},"error":null,
        "results":{{Results}},"results_truncated":{{Bool(ResultsTruncated)}},"failures":{{Failures}}}
        """;

    public RunJson Running(int processed, int succeeded, int failed = 0) => this with
    {
        Status = "running", FinishedAt = null, ShopsProcessed = processed, Succeeded = succeeded, Failed = failed,
        InvoicesIssued = 0, InvoicesExisting = 0, Totals = "[]", Results = "[]", Failures = "[]",
    };

    public FakeResponse Ok() => new(200, Json);

    private static string Bool(bool value) => value ? "true" : "false";
}

internal static class SchedulerReplies
{
    public const string EmptyStatus = """{"runs":[],"dead_letters":[],"dead_letter_count":0,"open_periods":0,"invoices_issued":0}""";

    public static string Started(string runId) =>
        $$"""{"run_id":"{{runId}}","status":"running","status_url":"/api/billing-scheduler/runs/{{runId}}"}""";

    public static FakeResponse Problem(int status, string code, string title, string detail) => new(
        status,
        $$"""{"type":"https://billing.example/problems/{{code}}","title":"{{title}}","status":{{status}},"detail":"{{detail}}","code":"{{code}}"}""",
        "application/problem+json");

    public static string List(params string[] items) => "[" + string.Join(",", items) + "]";

    public static string Total(string currency, int invoices, string subtotal, string vat, string total) =>
        $$"""{"currency":"{{currency}}","invoices":{{invoices}},"subtotal":{{subtotal}},"vat":{{vat}},"total":{{total}}}""";

    public static string Line(string service, string quantity, string unitPrice, string amount) =>
        $$"""{"service":"{{service}}","quantity":{{quantity}},"unit_price":{{unitPrice}},"amount":{{amount}}}""";

    /// <summary>A June 2025 invoice; a null id and number make it a dry run's would-be invoice.</summary>
    public static string Invoice(string? id, string currency, string subtotal, string vat, string vatRate, string total, string lines = "[]") =>
        $$"""
        {"invoice_id":{{Quoted(id)}},"number":{{Quoted(id is null ? null : $"INV-2025-06-{id[^4..]}")}},
        "period_start":"2025-06-01","period_end":"2025-06-30","currency":"{{currency}}",
        "subtotal":{{subtotal}},"vat":{{vat}},"vat_rate":{{vatRate}},"total":{{total}},"lines":{{lines}}}
        """;

    public static string Result(string shopId, string status, int attempts = 1, string? error = null, params string[] invoices) =>
        $$"""{"shop_id":"{{shopId}}","status":"{{status}}","attempts":{{attempts}},"error":{{Quoted(error)}},"invoices":{{List(invoices)}}}""";

    public static string Failure(string shopId, string error, int attempts) =>
        $$"""{"shop_id":"{{shopId}}","error":"{{error}}","attempts":{{attempts}}}""";

    private static string Quoted(string? text) => text is null ? "null" : $"\"{text}\"";
}
