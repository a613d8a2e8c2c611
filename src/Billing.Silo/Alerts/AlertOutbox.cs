using System.Numerics;
using System.Threading.Channels;
using Billing.Domain;

namespace Billing.Silo.Alerts;

/// <summary>
/// The bounded hand-off from subscription grains to the <see cref="AlertWriter"/>. Raising never
/// blocks and never touches the database: when the queue is full the alert is refused and counted
/// (logged at the 1st, 2nd, 4th, 8th … drop), and the grain offers it again on its customer's next
/// consume or activation, since a grain only advances its watch past alerts the queue took.
/// </summary>
public sealed class AlertOutbox(ILogger<AlertOutbox> logger)
{
    public const int Capacity = 10_000;

    private readonly Channel<Alert> queue = Channel.CreateBounded<Alert>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refuse when full, never wait
    });

    private long accepted;
    private long dropped;

    /// <summary>Alerts queued since start.</summary>
    public long Accepted => Interlocked.Read(ref accepted);

    /// <summary>Alerts refused because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    internal ChannelReader<Alert> Reader => queue.Reader;

    public bool TryRaise(Alert alert)
    {
        if (queue.Writer.TryWrite(alert))
        {
            Interlocked.Increment(ref accepted);
            return true;
        }

        var count = Interlocked.Increment(ref dropped);
        if (BitOperations.IsPow2(count))
        {
            AlertLog.Dropped(logger, Capacity, count);
        }

        return false;
    }

    /// <summary>Takes no more alerts; the writer drains what is queued.</summary>
    internal void Complete() => queue.Writer.TryComplete();
}
