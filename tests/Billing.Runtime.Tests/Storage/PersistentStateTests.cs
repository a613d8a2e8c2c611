using Billing.Runtime.Testing;
using Billing.Runtime.Tests.Grains;

namespace Billing.Runtime.Tests.Storage;

/// <summary>Grain state on both dialects: versions, conflicts, restarts, shutdown and crashes.</summary>
public sealed class PersistentStateTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task TenThousandConcurrentStoredIncrementsOverHundredKeysAreAllDurable(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using (var silo = await Silos.StartAsync(database, new Probe()))
        {
            await Task.WhenAll(Enumerable.Range(0, 10_000)
                .Select(i => silo.GrainFactory.GetGrain<IStoredCounterGrain>($"c{i % 100}").IncrementAsync()));
            Assert.Equal(100, silo.Runtime.ActivationCount);
        }

        await using var restarted = await Silos.StartAsync(database, new Probe());
        var values = await Task.WhenAll(Enumerable.Range(0, 100).Select(k => restarted.GrainFactory.GetGrain<IStoredCounterGrain>($"c{k}").GetAsync()));
        var etags = await Task.WhenAll(Enumerable.Range(0, 100).Select(k => restarted.GrainFactory.GetGrain<IStoredCounterGrain>($"c{k}").GetEtagAsync()));
        Assert.All(values, v => Assert.Equal(100, v));
        Assert.All(etags, e => Assert.Equal(100L, e));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task StaleWriterGetsInconsistentStateNamingBothVersionsAndThenReloads(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var first = await Silos.StartAsync(database, new Probe());
        await using var second = await Silos.StartAsync(database, new Probe());
        var inFirst = first.GrainFactory.GetGrain<IStoredCounterGrain>("shared");
        var inSecond = second.GrainFactory.GetGrain<IStoredCounterGrain>("shared");

        Assert.Equal(1, await inFirst.IncrementAsync());
        Assert.Equal(2, await inSecond.IncrementAsync());
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(inFirst.IncrementAsync);

        Assert.Equal(1, conflict.ExpectedVersion);
        Assert.Equal(2, conflict.StoredVersion);
        Assert.Equal("State 'counter' of grain stored-counter/shared changed underneath this activation: expected version 1, stored version 2.", conflict.Message);
        Assert.Equal(3, await inFirst.IncrementAsync());
        Assert.Equal(3L, await inFirst.GetEtagAsync());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task StateSurvivesSiloRestart(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using (var silo = await Silos.StartAsync(database, new Probe()))
        {
            var grain = silo.GrainFactory.GetGrain<IStoredCounterGrain>("persisted");
            for (var i = 0; i < 5; i++)
            {
                await grain.IncrementAsync();
            }
        }

        await using var restarted = await Silos.StartAsync(database, new Probe());
        var again = restarted.GrainFactory.GetGrain<IStoredCounterGrain>("persisted");
        Assert.Equal(5, await again.GetAsync());
        Assert.Equal(5L, await again.GetEtagAsync());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ClearLeavesATombstoneSoVersionsKeepGrowing(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = await Silos.StartAsync(database, new Probe());
        var grain = silo.GrainFactory.GetGrain<IStoredCounterGrain>("cleared");
        await grain.IncrementAsync();
        await grain.IncrementAsync();

        await grain.ClearAsync();
        Assert.Equal(0, await grain.GetAsync());
        Assert.Equal(3L, await grain.GetEtagAsync());
        Assert.Equal(1, await grain.IncrementAsync());
        Assert.Equal(4L, await grain.GetEtagAsync());
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task GracefulShutdownRunsOnDeactivateAndItsWritesLand(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        var probe = new Probe();
        await using (var silo = await Silos.StartAsync(database, probe))
        {
            await Task.WhenAll(Enumerable.Range(0, 20).Select(k => silo.GrainFactory.GetGrain<ILifecycleGrain>($"buffered-{k}").AddAsync(k + 1)));
        }

        Assert.Equal(20, probe.Deactivations);
        await using var restarted = await Silos.StartAsync(database, new Probe());
        var totals = await Task.WhenAll(Enumerable.Range(0, 20).Select(k => restarted.GrainFactory.GetGrain<ILifecycleGrain>($"buffered-{k}").GetTotalAsync()));
        Assert.Equal(Enumerable.Range(1, 20), totals);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task KilledSiloLosesOnlyWhatWasNeverWritten(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        var killed = await Silos.StartAsync(database, new Probe());
        await killed.GrainFactory.GetGrain<IStoredCounterGrain>("acked").IncrementAsync();
        await killed.GrainFactory.GetGrain<ILifecycleGrain>("unflushed").AddAsync(9);
        await killed.KillAsync();

        await using var restarted = await Silos.StartAsync(database, new Probe());
        Assert.Equal(1, await restarted.GrainFactory.GetGrain<IStoredCounterGrain>("acked").GetAsync());
        Assert.Equal(0, await restarted.GrainFactory.GetGrain<ILifecycleGrain>("unflushed").GetTotalAsync());
    }

    [Fact]
    public async Task CallsAfterShutdownAreRefused()
    {
        await using var database = TestDatabase.CreateSqlite();
        var silo = await Silos.StartAsync(database, new Probe());
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>("late");
        await silo.StopAsync();

        await Assert.ThrowsAsync<SiloUnavailableException>(grain.IncrementAsync);
    }
}
