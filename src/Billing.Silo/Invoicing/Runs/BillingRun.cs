using System.Collections.Concurrent;
using NodaTime;

namespace Billing.Silo.Invoicing.Runs;

public enum RunTrigger
{
    Api,
    Reminder,

    /// <summary>A signed GitHub webhook (a workflow on the 1st of the month, or dispatched by hand).</summary>
    Github, // "github" on the wire (snake case of the name)
}

public enum RunStatus
{
    Running,
    Completed,
    Failed,
}

/// <summary>What a run was asked to do. Null shop ids: every shop.</summary>
public sealed record RunRequest(IReadOnlyList<string>? ShopIds, YearMonth Period, bool DryRun, RunTrigger Trigger);

public enum ShopRunStatus
{
    Invoiced,
    AlreadyInvoiced,
    WouldInvoice,
    NotDue,
    Failed,
}

public sealed record ShopRunResult(string ShopId, ShopRunStatus Status, int Attempts, string? Error, IReadOnlyList<InvoiceSummary> Invoices);

public sealed record ShopRunFailure(string ShopId, string Error, int Attempts);

/// <summary>Invoices of one currency in a run (or that a dry run would issue).</summary>
public sealed record CurrencyTotal(string Currency, long Invoices, decimal Subtotal, decimal Vat, decimal Total);

/// <summary>A run's counts at one moment; <see cref="Results"/> is empty in summaries.</summary>
public sealed record RunSnapshot(
    string RunId,
    RunStatus Status,
    RunTrigger Trigger,
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
    IReadOnlyList<ShopRunResult> Results,
    bool ResultsTruncated,
    IReadOnlyList<ShopRunFailure> Failures);

/// <summary>
/// One billing run's live state. Shops finish on several threads at once, so the counters are
/// interlocked and the totals are locked; results and failures are kept up to a bound.
/// </summary>
public sealed class BillingRun(string id, RunRequest request, DateTimeOffset startedAt, int maxResults)
{
    private readonly ConcurrentQueue<ShopRunResult> results = new();
    private readonly ConcurrentQueue<ShopRunFailure> failures = new();
    private readonly Dictionary<string, CurrencyTotal> totals = new(StringComparer.Ordinal);
    private long shopsTotal;
    private long processed;
    private long succeeded;
    private long failed;
    private long skipped;
    private long issued;
    private long existing;
    private long resultsKept;
    private long failuresKept;
    private DateTimeOffset? finishedAt;
    private RunStatus status = RunStatus.Running;
    private string? error;

    public string Id { get; } = id;

    public RunRequest Request { get; } = request;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>Completes when the run has ended, whatever its status.</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void AddShops(long count) => Interlocked.Add(ref shopsTotal, count);

    public void Record(ShopRunResult result)
    {
        switch (result.Status)
        {
            case ShopRunStatus.Failed:
                Interlocked.Increment(ref failed);
                Keep(failures, ref failuresKept, new ShopRunFailure(result.ShopId, result.Error ?? "unknown error", result.Attempts));
                break;
            case ShopRunStatus.NotDue:
                Interlocked.Increment(ref skipped);
                break;
            default:
                Interlocked.Increment(ref succeeded);
                break;
        }

        if (result.Status is ShopRunStatus.Invoiced or ShopRunStatus.WouldInvoice)
        {
            Interlocked.Add(ref issued, result.Invoices.Count);
            AddToTotals(result.Invoices);
        }
        else if (result.Status is ShopRunStatus.AlreadyInvoiced)
        {
            Interlocked.Add(ref existing, result.Invoices.Count);
        }

        Keep(results, ref resultsKept, result);
        Interlocked.Increment(ref processed);
    }

    public void Finish(DateTimeOffset at, string? failure)
    {
        lock (totals)
        {
            finishedAt = at;
            error = failure;
            status = failure is null ? RunStatus.Completed : RunStatus.Failed;
        }

        Completion.TrySetResult();
    }

    public RunSnapshot Snapshot(bool withResults)
    {
        lock (totals)
        {
            return new RunSnapshot(
                Id, status, Request.Trigger, Request.Period.ToString("yyyy-MM", null), Request.DryRun, StartedAt, finishedAt,
                Interlocked.Read(ref shopsTotal), Interlocked.Read(ref processed), Interlocked.Read(ref succeeded), Interlocked.Read(ref failed),
                Interlocked.Read(ref skipped), Interlocked.Read(ref issued), Interlocked.Read(ref existing),
                [.. totals.Values.OrderBy(t => t.Currency, StringComparer.Ordinal)], error,
                withResults ? [.. results] : [], withResults && Interlocked.Read(ref processed) > results.Count,
                withResults ? [.. failures] : []);
        }
    }

    private void AddToTotals(IReadOnlyList<InvoiceSummary> invoices)
    {
        lock (totals)
        {
            foreach (var invoice in invoices)
            {
                var sum = totals.GetValueOrDefault(invoice.Currency) ?? new CurrencyTotal(invoice.Currency, 0, 0m, 0m, 0m);
                totals[invoice.Currency] = sum with
                {
                    Invoices = sum.Invoices + 1,
                    Subtotal = sum.Subtotal + invoice.Subtotal,
                    Vat = sum.Vat + invoice.Vat,
                    Total = sum.Total + invoice.Total,
                };
            }
        }
    }

    private void Keep<T>(ConcurrentQueue<T> queue, ref long kept, T item)
    {
        if (Interlocked.Increment(ref kept) <= maxResults)
        {
            queue.Enqueue(item);
        }
    }
}
