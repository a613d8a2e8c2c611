using Billing.Domain;

namespace Billing.Silo.Alerts;

/// <summary>
/// Drains the <see cref="AlertOutbox"/> into the <c>alerts</c> table, one idempotent insert per
/// alert. A failed insert is retried with doubling delays; after the last attempt the alert is
/// left to the next re-check (its customer's next activation). Registered before the grain
/// runtime, so it stops after the grains and writes what their last turns raised.
/// </summary>
public sealed class AlertWriter(AlertOutbox outbox, AlertStore store, TimeProvider time, ILogger<AlertWriter> logger) : IHostedService
{
    public const int MaxAttempts = 5;
    public const int FirstRetryDelayMs = 200;

    private readonly CancellationTokenSource stopping = new();
    private Task? draining;
    private long processed;

    /// <summary>Alerts taken from the queue and recorded (or given up on) since start.</summary>
    public long Processed => Interlocked.Read(ref processed);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        draining ??= Task.Run(() => DrainAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        outbox.Complete();
        if (draining is null)
        {
            return;
        }

        try
        {
            await draining.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of shutdown time: what is still queued is raised again on the next re-check.
            await stopping.CancelAsync();
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var alert in outbox.Reader.ReadAllAsync(cancellationToken))
            {
                await RecordAsync(alert, cancellationToken);
                Interlocked.Increment(ref processed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before the queue was empty; see StopAsync.
        }
    }

    private async Task RecordAsync(Alert alert, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(FirstRetryDelayMs);
        for (var attempt = 1; attempt <= MaxAttempts && !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await store.RecordAsync(alert, cancellationToken);
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                AlertLog.RecordFailed(logger, alert.Kind, alert.Subject, alert.PeriodKey, error.Message, attempt, MaxAttempts);
            }

            if (attempt < MaxAttempts)
            {
                await Task.Delay(delay, time, cancellationToken);
                delay *= 2;
            }
        }
    }
}
