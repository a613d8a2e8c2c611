using Microsoft.Extensions.Options;

namespace Billing.Silo.Payments.Collection;

/// <summary>
/// The safety net under the reminders: every <see cref="PaymentOptions.SweepIntervalSeconds"/> it
/// asks the grains of collections that are past due (an invoice issued just before a crash, before
/// its grain registered a reminder) to run, and reinstates customers whose suspending invoice was
/// settled while a crash interrupted the reinstatement. At most <see cref="PaymentOptions.SweepBatchSize"/> of each per pass.
/// </summary>
public sealed partial class CollectionSweeper(
    InvoiceCollectionStore collections, CollectionSettlement settlement, IGrainFactory grains, IOptions<PaymentOptions> options, TimeProvider time,
    ILogger<CollectionSweeper> logger)
    : BackgroundService
{
    /// <summary>One pass; answers how many collections it ran and customers it reinstated.</summary>
    public async Task<(int Ran, int Reinstated)> SweepAsync(CancellationToken cancellationToken)
    {
        var batch = options.Value.SweepBatchSize;
        var due = await collections.DueAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), batch, cancellationToken);
        foreach (var invoiceId in due)
        {
            await grains.GetGrain<IInvoiceCollectionGrain>(invoiceId).CollectDueAsync().WaitAsync(cancellationToken);
        }

        var settled = await collections.SettledWhileSuspendedAsync(batch, cancellationToken);
        foreach (var (invoiceId, customerId) in settled)
        {
            await settlement.ReinstateAsync(invoiceId, customerId, cancellationToken);
            LogReinstated(logger, customerId, invoiceId);
        }

        return (due.Count, settled.Count);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        SweepLoop.RunAsync(
            TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds), ct => SweepAsync(ct),
            error => LogSweepFailed(logger, options.Value.SweepIntervalSeconds, error.Message), stoppingToken);

    [LoggerMessage(EventId = 8221, Level = LogLevel.Warning, Message = "Customer {CustomerId} reinstated by the sweep: invoice {InvoiceId} had been settled during a crash")]
    private static partial void LogReinstated(ILogger logger, string customerId, string invoiceId);

    [LoggerMessage(EventId = 8222, Level = LogLevel.Error, Message = "The collection sweep failed ({Reason}); retried in {IntervalSeconds} s")]
    private static partial void LogSweepFailed(ILogger logger, int intervalSeconds, string reason);
}
