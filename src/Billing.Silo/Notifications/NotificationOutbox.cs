using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Notifications;

/// <summary>Something operators should hear about: a kind (<c>billing_run.completed</c>), a line for people, and figures for machines.</summary>
public sealed record Notice(Guid Id, string Kind, string Text, IReadOnlyDictionary<string, object?> Data, DateTimeOffset OccurredAt);

/// <summary>
/// The queue between what happens and who is told: <see cref="TryNotify"/> never waits, so a slow
/// or dead Slack never holds up a billing run; a full queue drops the notice and counts it.
/// </summary>
public sealed partial class NotificationOutbox(IOptions<NotificationOptions> options, ILogger<NotificationOutbox> logger)
{
    private readonly Channel<Notice> queue = Channel.CreateBounded<Notice>(
        new BoundedChannelOptions(options.Value.MaxQueued) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long dropped;

    /// <summary>Whether anyone is to be told at all.</summary>
    public bool HasTargets => options.Value.SlackWebhookUrl is not null || options.Value.WebhookUrl is not null;

    public ChannelReader<Notice> Reader => queue.Reader;

    public void TryNotify(Notice notice)
    {
        if (HasTargets && !queue.Writer.TryWrite(notice))
        {
            LogDropped(logger, options.Value.MaxQueued, Interlocked.Increment(ref dropped), notice.Kind);
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "The notification queue is full ({Capacity}); {Dropped} notices dropped so far, the last a {Kind}")]
    private static partial void LogDropped(ILogger logger, int capacity, long dropped, string kind);
}
