using System.Collections.Concurrent;
using System.Threading.Channels;
using Billing.Silo.Invoicing;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Grains;

/// <summary>
/// Month-end on reminders without a stampede. Every shop's <c>close-period</c> reminder fires at
/// the same instant, and Orleans calls all the ticks at once: 100,000 closes each asking for a
/// connection exhausted the pool within seconds, and ticks still queued at the grains expired
/// after the call timeout. So a tick only queues its shop here (no database, no wait), and
/// <see cref="BillingOptions.MaxConcurrentReminderCloses"/> workers call each queued shop's grain
/// to close. The reminder stays registered until the close moves it to the next period, so a shop
/// dropped from a full queue, or lost with its silo, is queued again by its next tick.
/// </summary>
public sealed partial class ReminderCloseQueue : BackgroundService
{
    private readonly IGrainFactory grains;
    private readonly ILogger<ReminderCloseQueue> logger;
    private readonly int workers;
    private readonly Channel<string> queue;

    // Shops queued or closing: a tick that comes again meanwhile (a minute later) adds nothing.
    private readonly ConcurrentDictionary<string, byte> pending = new(StringComparer.Ordinal);

    public ReminderCloseQueue(IGrainFactory grains, IOptions<BillingOptions> options, ILogger<ReminderCloseQueue> logger)
    {
        this.grains = grains;
        this.logger = logger;
        workers = options.Value.MaxConcurrentReminderCloses;
        queue = Channel.CreateBounded<string>(new BoundedChannelOptions(options.Value.MaxQueuedReminderCloses)
        {
            SingleWriter = false,
            SingleReader = false,
        });
    }

    /// <summary>Shops queued or closing now.</summary>
    public int Pending => pending.Count;

    /// <summary>Queues a shop's close; false when the queue is full (the reminder's next tick tries again).</summary>
    public bool TryEnqueue(string shopId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shopId);
        if (!pending.TryAdd(shopId, 0))
        {
            return true;
        }

        if (queue.Writer.TryWrite(shopId))
        {
            return true;
        }

        pending.TryRemove(shopId, out _);
        LogQueueFull(logger, shopId);
        return false;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => DrainAsync(stoppingToken)));

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var shopId in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    // The grain counts a failed close and registers its back-off itself; what reaches
                    // here is the call's own failure (a timeout, a silo going away), which the
                    // reminder's next tick retries.
                    await grains.Shop(shopId).CloseDueFromReminderAsync().WaitAsync(stoppingToken);
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    LogCloseCallFailed(logger, shopId, error.GetBaseException().Message);
                }
                finally
                {
                    pending.TryRemove(shopId, out _);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued closes on its reminder's next tick, here or on another silo.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shop {ShopId}: reminder close not queued, the queue is full; its next tick queues it again")]
    private static partial void LogQueueFull(ILogger logger, string shopId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shop {ShopId}: reminder close call failed; its next tick retries: {Reason}")]
    private static partial void LogCloseCallFailed(ILogger logger, string shopId, string reason);
}
