namespace Billing.Contracts.Runs;

/// <summary>The body of <c>GET /api/billing-scheduler/status</c>: recent runs (summaries) and dead letters, newest first, and the counts.</summary>
public sealed record SchedulerStatusResponse(
    IReadOnlyList<RunResponse> Runs,
    IReadOnlyList<DeadLetterResponse> DeadLetters,
    long DeadLetterCount,
    long OpenPeriods,
    long InvoicesIssued);

/// <summary>A shop that failed every attempt of a run, kept until an operator deals with it.</summary>
public sealed record DeadLetterResponse(string RunId, string ShopId, string Period, string Error, int Attempts, DateTimeOffset FailedAt);
