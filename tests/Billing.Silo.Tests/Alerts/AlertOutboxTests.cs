using Billing.Domain;
using Billing.Silo.Alerts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Tests.Alerts;

/// <summary>The hand-off from the subscription grain never blocks: a full queue refuses, counts, and the alert is offered again.</summary>
public sealed class AlertOutboxTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 21, 12, 0);

    [Fact]
    public void FullQueueRefusesCountsAndLogsTheDrop()
    {
        var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var outbox = new AlertOutbox(factory.CreateLogger<AlertOutbox>());
        var alert = new Alert("token_80", "cus_1", "grant-1", "80% of 10 tokens", "8 tokens", "…", Now);
        for (var i = 0; i < AlertOutbox.Capacity; i++)
        {
            Assert.True(outbox.TryRaise(alert));
        }

        Assert.False(outbox.TryRaise(alert));
        Assert.False(outbox.TryRaise(alert));
        Assert.False(outbox.TryRaise(alert));

        Assert.Equal((AlertOutbox.Capacity, 3L), (outbox.Accepted, outbox.Dropped));
        Assert.Equal(2, logs.MessagesOf(5101).Count); // the 1st and 2nd drop; the 4th would be next
    }

    [Fact]
    public void AThresholdRefusedByAFullQueueStaysDueUntilTheQueueTakesIt()
    {
        var outbox = new AlertOutbox(NullLogger<AlertOutbox>.Instance);
        var tokenAlerts = new TokenAlerts(outbox, Options.Create(new AlertOptions()));
        var filler = new Alert("cost_daily", "platform", "2026-11-21", "EUR 1.00", "EUR 1.00", "…", Now);
        while (outbox.TryRaise(filler))
        {
        }

        var watch = tokenAlerts.Raise(TokenAlertWatch.Start(TokenThresholds.Default, 1, 1_000), "cus_1", remainingTokens: 150, Now);
        Assert.Equal((0, 2L), (watch.HandedOn, outbox.Dropped));
        Assert.True(watch.IsDue(2, 150));

        Assert.True(outbox.Reader.TryRead(out _));
        watch = tokenAlerts.Raise(watch, "cus_1", remainingTokens: 150, Now);

        Assert.Equal(1, watch.HandedOn);
        Assert.False(watch.IsDue(3, 150));
        Assert.Equal(AlertOutbox.Capacity + 1, outbox.Accepted);
    }
}
