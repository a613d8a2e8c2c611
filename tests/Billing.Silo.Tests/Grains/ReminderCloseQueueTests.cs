using Billing.Silo.Grains;
using Billing.Silo.Invoicing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Tests.Grains;

/// <summary>The queue a month end's ticks feed: one entry per shop, and bounded.</summary>
public sealed class ReminderCloseQueueTests
{
    [Fact]
    public void ATickForAQueuedShopAddsNothingAndAFullQueueRefusesTheNextShop()
    {
        // Not started: no worker drains it, so what is queued stays queued.
        var queue = new ReminderCloseQueue(null!, Options.Create(new BillingOptions { MaxQueuedReminderCloses = 2 }), NullLogger<ReminderCloseQueue>.Instance);

        Assert.True(queue.TryEnqueue("shop_a"));
        Assert.True(queue.TryEnqueue("shop_b"));
        Assert.True(queue.TryEnqueue("shop_a"));
        Assert.Equal(2, queue.Pending);

        Assert.False(queue.TryEnqueue("shop_c"));
        Assert.Equal(2, queue.Pending);
    }

    [Fact]
    public void ABlankShopIdIsRefused()
    {
        var queue = new ReminderCloseQueue(null!, Options.Create(new BillingOptions()), NullLogger<ReminderCloseQueue>.Instance);
        Assert.Throws<ArgumentException>(() => queue.TryEnqueue(" "));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(257, 10)]
    [InlineData(16, 0)]
    public void OutOfRangeQueueSettingsFailValidation(int concurrent, int queued)
    {
        var options = new BillingOptions { MaxConcurrentReminderCloses = concurrent, MaxQueuedReminderCloses = queued };
        Assert.Single(options.Validate());
    }
}
