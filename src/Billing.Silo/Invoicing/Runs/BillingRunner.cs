using Billing.Silo.Notifications;
using System.Collections.Concurrent;
using Billing.Domain;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Invoicing.Runs;

/// <summary>Bills one shop: the shop grain in the silo, a faulty one in fault tests.</summary>
public interface IShopBiller
{
    Task<ShopBillingResult> BillAsync(string shopId, CloseRequest request, CancellationToken cancellationToken);
}

/// <summary>More runs are going on than <see cref="BillingRunOptions.MaxConcurrentRuns"/> allows.</summary>
public sealed class RunLimitReachedException(int limit) : Exception($"{limit} billing runs are already going on; try again when one has finished.");

/// <summary>
/// Runs billing over many shops (seed 002's scheduler): a bounded number at a time, each shop
/// retried with back-off, shops that fail every attempt dead-lettered, and one shop's failure
/// never stopping the others. Runs go on in the background; callers may wait for the end.
/// </summary>
public sealed partial class BillingRunner(
    IShopBiller biller, BillingRunStore store, NotificationOutbox notifications, IOptions<BillingRunOptions> options, TimeProvider time, ILogger<BillingRunner> logger)
    : IDisposable
{
    private readonly BillingRunOptions settings = options.Value;
    private readonly ConcurrentDictionary<string, BillingRun> recent = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private int running;

    public BillingRun Start(RunRequest request)
    {
        if (Interlocked.Increment(ref running) > settings.MaxConcurrentRuns)
        {
            Interlocked.Decrement(ref running);
            throw new RunLimitReachedException(settings.MaxConcurrentRuns);
        }

        var run = new BillingRun(CatalogIds.New(CatalogIds.BillingRun), request, time.GetUtcNow(), settings.MaxResultsPerRun);
        recent[run.Id] = run;
        ForgetOldRuns();
        _ = Task.Run(() => ExecuteAsync(run, stopping.Token));
        return run;
    }

    /// <summary>A run of this silo's memory (with its results), else its stored summary.</summary>
    public async Task<RunSnapshot?> FindAsync(string runId, CancellationToken cancellationToken) =>
        recent.TryGetValue(runId, out var run) ? run.Snapshot(withResults: true) : await store.FindAsync(runId, cancellationToken);

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    private async Task ExecuteAsync(BillingRun run, CancellationToken cancellationToken)
    {
        string? failure = null;
        try
        {
            await store.SaveAsync(run.Snapshot(withResults: false), cancellationToken);
            var close = new CloseRequest(run.Request.Period, run.Request.DryRun);
            await Parallel.ForEachAsync(
                ShopsOf(run, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = settings.MaxParallelShops, CancellationToken = cancellationToken },
                async (shopId, ct) => run.Record(await BillWithRetriesAsync(run, shopId, close, ct)));
        }
        catch (Exception error)
        {
            failure = error is OperationCanceledException ? "The silo stopped during the run." : error.Message;
            LogRunFailed(run.Id, error);
        }
        finally
        {
            Interlocked.Decrement(ref running);
            run.Finish(time.GetUtcNow(), failure);
            await SaveFinalAsync(run);
            notifications.TryNotify(RunNotices.Of(run.Snapshot(withResults: false), Guid.CreateVersion7(time.GetUtcNow()), time.GetUtcNow()));
        }
    }

    private async IAsyncEnumerable<string> ShopsOf(BillingRun run, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (run.Request.ShopIds is { } named)
        {
            run.AddShops(named.Count);
            foreach (var id in named)
            {
                yield return id;
            }

            yield break;
        }

        // The total grows a page at a time, so progress shows from the first shop on.
        await foreach (var id in store.AllShopIdsAsync(cancellationToken))
        {
            run.AddShops(1);
            yield return id;
        }
    }

    private async Task<ShopRunResult> BillWithRetriesAsync(BillingRun run, string shopId, CloseRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await biller.BillAsync(shopId, request, cancellationToken);
                return new ShopRunResult(shopId, StatusOf(result.Outcome), attempt, null, result.Invoices);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogShopAttemptFailed(run.Id, shopId, attempt, error);
                if (attempt >= settings.MaxAttemptsPerShop || error is UnknownShopException)
                {
                    var failure = new ShopRunFailure(shopId, error.Message, attempt);
                    await store.AddDeadLetterAsync(run.Id, run.Request.Period.ToString("yyyy-MM", null), failure, time.GetUtcNow(), cancellationToken);
                    return new ShopRunResult(shopId, ShopRunStatus.Failed, attempt, error.Message, []);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(settings.RetryDelayMs * (1L << (attempt - 1))), time, cancellationToken);
            }
        }
    }

    private async Task SaveFinalAsync(BillingRun run)
    {
        try
        {
            await store.SaveAsync(run.Snapshot(withResults: false), CancellationToken.None);
        }
        catch (Exception error)
        {
            // The run's effects are durable shop by shop; only its summary row is lost.
            LogRunSummaryNotSaved(run.Id, error);
        }
    }

    private void ForgetOldRuns()
    {
        foreach (var old in recent.Values.Where(r => r.Completion.Task.IsCompleted).OrderByDescending(r => r.StartedAt).Skip(settings.RecentRunsKept))
        {
            recent.TryRemove(old.Id, out _);
        }
    }

    private static ShopRunStatus StatusOf(ShopBillingOutcome outcome) => outcome switch
    {
        ShopBillingOutcome.Invoiced => ShopRunStatus.Invoiced,
        ShopBillingOutcome.AlreadyInvoiced => ShopRunStatus.AlreadyInvoiced,
        ShopBillingOutcome.WouldInvoice => ShopRunStatus.WouldInvoice,
        ShopBillingOutcome.NotDue => ShopRunStatus.NotDue,
        _ => throw new InvariantViolationException($"Unhandled billing outcome {outcome}."),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Billing run {RunId} failed")]
    private partial void LogRunFailed(string runId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Billing run {RunId}: shop {ShopId} failed attempt {Attempt}")]
    private partial void LogShopAttemptFailed(string runId, string shopId, int attempt, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Billing run {RunId}: its final summary could not be saved")]
    private partial void LogRunSummaryNotSaved(string runId, Exception error);
}

