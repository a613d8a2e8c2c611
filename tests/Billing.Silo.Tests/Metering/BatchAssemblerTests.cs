using Billing.Silo.Metering.Journal;

namespace Billing.Silo.Tests.Metering;

public sealed class BatchAssemblerTests
{
    [Fact]
    public void CustomerInFlightWaitsAndKeepsItsOrder()
    {
        var assembler = new BatchAssembler(maxBatchSize: 100, maxDeferredEntries: 100);
        var first = assembler.Next(Feed(Entry("a", 1), Entry("b", 1)));
        var second = assembler.Next(Feed(Entry("a", 2), Entry("c", 1), Entry("a", 3)));

        Assert.Equal(["a:1", "b:1"], Names(first));
        Assert.Equal(["c:1"], Names(second));
        Assert.Equal(2, assembler.DeferredCount);

        assembler.Done(first);
        var third = assembler.Next(Feed());
        Assert.Equal(["a:2", "a:3"], Names(third));
        Assert.Equal(0, assembler.DeferredCount);
    }

    [Fact]
    public void LaterEntriesOfAWaitingCustomerDoNotOvertakeItsHeldBackOnes()
    {
        var assembler = new BatchAssembler(maxBatchSize: 100, maxDeferredEntries: 100);
        var first = assembler.Next(Feed(Entry("a", 1)));
        assembler.Next(Feed(Entry("a", 2)));
        assembler.Done(first);

        var next = assembler.Next(Feed(Entry("a", 3)));

        Assert.Equal(["a:2", "a:3"], Names(next));
    }

    [Fact]
    public void BatchesStopAtTheirSizeAndReadingStopsWhenTheHoldIsFull()
    {
        var assembler = new BatchAssembler(maxBatchSize: 2, maxDeferredEntries: 1);
        var first = assembler.Next(Feed(Entry("a", 1), Entry("b", 1)));
        var remaining = Feed(Entry("a", 2), Entry("a", 3), Entry("d", 1));

        var blocked = assembler.Next(remaining);

        Assert.Equal(["a:1", "b:1"], Names(first));
        Assert.Empty(blocked);
        Assert.False(assembler.CanDefer);

        assembler.Done(first);
        Assert.Equal(["a:2", "a:3"], Names(assembler.Next(remaining)));
    }

    [Fact]
    public void RemoveDeferredTakesOnlyRefusedEntries()
    {
        var assembler = new BatchAssembler(maxBatchSize: 100, maxDeferredEntries: 100);
        assembler.Next(Feed(Entry("a", 1), Entry("b", 1)));
        assembler.Next(Feed(Entry("a", 2), Entry("b", 2)));

        var removed = assembler.RemoveDeferred(e => e.CustomerId == "a");

        Assert.Equal(["a:2"], Names(removed));
        Assert.Equal(1, assembler.DeferredCount);
    }

    private static Func<JournalEntry?> Feed(params JournalEntry[] entries)
    {
        var queue = new Queue<JournalEntry>(entries);
        return () => queue.TryDequeue(out var entry) ? entry : null;
    }

    private static JournalEntry Entry(string customer, long sequence) =>
        new(new BalanceRecord(customer, "plan", sequence, 10, 10 - sequence, sequence, null, null, true, null, null, 0));

    private static List<string> Names(IEnumerable<JournalEntry> entries) => entries.Select(e => $"{e.CustomerId}:{e.Balance.Sequence}").ToList();
}
