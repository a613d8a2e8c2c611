using Billing.Cli.LoadTest;

namespace Billing.Cli.Tests;

public sealed class LoadTestRecorderTests
{
    [Fact]
    public void EveryValueFallsInASlotWhoseBoundIsAtMostAnEighthAboveIt()
    {
        for (long value = 0; value < 1_000_000; value = (value * 5 / 4) + 1)
        {
            var bound = LatencyRecorder.HighestValueIn(LatencyRecorder.SlotOf(value));
            Assert.InRange(bound, value, value + Math.Max(0, value / 8));
        }
    }

    [Fact]
    public void PercentilesOfAUniformSpreadAreWithinTheSlotError()
    {
        var latency = new LatencyRecorder();
        for (var microseconds = 1; microseconds <= 10_000; microseconds++)
        {
            latency.Record(microseconds);
        }

        Assert.InRange(latency.PercentileMicroseconds(0.50), 5000, 5000 * 9 / 8);
        Assert.InRange(latency.PercentileMicroseconds(0.99), 9900, 10_000);
        Assert.Equal(10_000, latency.PercentileMicroseconds(1.0));
        Assert.Equal(10_000, latency.MaxMicroseconds);
    }

    [Fact]
    public void EmptyRecorderReportsZeroes()
    {
        var latency = new LatencyRecorder();

        Assert.Equal((0L, 0L, 0L), (latency.Count, latency.PercentileMicroseconds(0.99), latency.MaxMicroseconds));
    }

    [Fact]
    public async Task ConcurrentRecordsAreAllCountedWithTheLargestAsMax()
    {
        var recorder = new SegmentRecorder(maxRequests: long.MaxValue);
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                recorder.Record(i % 10 == 0 ? 402 : 200, (worker * 10_000) + i);
            }
        }));

        await Task.WhenAll(workers);

        Assert.Equal(80_000, recorder.Completed);
        Assert.Equal(8_000, recorder.Failures);
        Assert.Equal(79_999, recorder.Latency.MaxMicroseconds);
        Assert.Equal(new Dictionary<string, long> { ["200"] = 72_000, ["402"] = 8_000 }, recorder.StatusCounts());
    }

    [Fact]
    public void TicketsRunOutAtTheRequestBudget()
    {
        var recorder = new SegmentRecorder(maxRequests: 3);

        Assert.Equal([true, true, true, false, false], Enumerable.Range(0, 5).Select(_ => recorder.TryTakeTicket()));
    }

    [Fact]
    public void RoundRobinPickerVisitsEveryShopInTurn()
    {
        var picker = new ShopPicker(shops: 3, workers: 2, seed: null);

        Assert.Equal([0, 1, 2, 0, 1, 2], Enumerable.Range(0, 6).Select(i => picker.Next(i % 2)));
    }

    [Fact]
    public void SeededPickerRepeatsItsChoicesAcrossRuns()
    {
        var first = new ShopPicker(shops: 50, workers: 2, seed: 7);
        var second = new ShopPicker(shops: 50, workers: 2, seed: 7);

        var picks = Enumerable.Range(0, 20).Select(_ => first.Next(1)).ToList();

        Assert.Equal(picks, Enumerable.Range(0, 20).Select(_ => second.Next(1)));
        Assert.True(picks.Distinct().Count() > 1);
    }
}
