using Billing.Runtime.Testing;
using Billing.Runtime.Tests.Grains;

namespace Billing.Runtime.Tests.Reminders;

/// <summary>Durable reminders on both dialects, driven by a manual clock and explicit polls.</summary>
public sealed class DurableReminderTests
{
    public static TheoryData<string> Dialects => new() { StorageOptions.Sqlite, StorageOptions.Postgres };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task ReminderRegisteredBeforeRestartFiresAfterIt(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        var clock = new ManualTimeProvider(Silos.Epoch);
        await using (var silo = await Silos.StartAsync(database, new Probe(), clock))
        {
            await silo.GrainFactory.GetGrain<IReminderGrain>("r1").RegisterEveryAsync("tick", TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));
        }

        var probe = new Probe();
        await using var restarted = await Silos.StartAsync(database, probe, clock);
        clock.Advance(TimeSpan.FromMinutes(5));
        await restarted.Reminders.PollOnceAsync();

        var tick = Assert.Single(probe.Ticks);
        Assert.Equal(("r1", "tick"), (tick.Grain, tick.Reminder));
        Assert.Equal(Silos.Epoch.AddMinutes(5), tick.Status.CurrentTickTime);
        Assert.Equal(Silos.Epoch.AddMinutes(5), tick.Status.FirstTickTime);
        Assert.Equal(TimeSpan.FromHours(1), tick.Status.Period);
        Assert.True(restarted.Runtime.IsActive<IReminderGrain>("r1"), "the reminder woke the inactive grain");
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task TicksMissedDuringDowntimeFireOnceWithTheirOriginalDueTime(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        var clock = new ManualTimeProvider(Silos.Epoch);
        await using (var silo = await Silos.StartAsync(database, new Probe(), clock))
        {
            await silo.GrainFactory.GetGrain<IReminderGrain>("r2").RegisterEveryAsync("hourly", TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        }

        clock.Advance(TimeSpan.FromHours(10.5));
        var probe = new Probe();
        await using var restarted = await Silos.StartAsync(database, probe, clock);
        await restarted.Reminders.PollOnceAsync();
        await restarted.Reminders.PollOnceAsync();

        var tick = Assert.Single(probe.Ticks);
        Assert.Equal(Silos.Epoch.AddHours(1), tick.Status.CurrentTickTime);
        var entry = Assert.Single(await restarted.GrainFactory.GetGrain<IReminderGrain>("r2").ListAsync());
        Assert.Equal(Silos.Epoch.AddHours(11), entry.NextDueTime);
    }

    [Theory]
    [InlineData(StorageOptions.Sqlite, "Europe/Amsterdam", "2026-02-28T00:00:00+01:00", "2026-03-31T00:00:00+02:00", "2026-04-30T00:00:00+02:00")]
    [InlineData(StorageOptions.Postgres, "Europe/Amsterdam", "2026-02-28T00:00:00+01:00", "2026-03-31T00:00:00+02:00", "2026-04-30T00:00:00+02:00")]
    [InlineData(StorageOptions.Sqlite, "Pacific/Auckland", "2026-02-28T00:00:00+13:00", "2026-03-31T00:00:00+13:00", "2026-04-30T00:00:00+12:00")]
    [InlineData(StorageOptions.Postgres, "Pacific/Auckland", "2026-02-28T00:00:00+13:00", "2026-03-31T00:00:00+13:00", "2026-04-30T00:00:00+12:00")]
    public async Task MonthEndReminderFiresAtLocalMidnightAcrossDstChange(string dialect, string zone, string first, string second, string third)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 2, 20, 0, 0, 0, TimeSpan.Zero));
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(database, probe, clock);
        await silo.GrainFactory.GetGrain<IReminderGrain>("shop").RegisterCalendarAsync("month-end", $"monthly day=last at=00:00 zone={zone}");

        var delivered = 0;
        foreach (var expected in new[] { first, second, third }.Select(DateTimeOffset.Parse))
        {
            // The silo's own poll timer may deliver during the clock move; the explicit poll waits for it.
            clock.SetUtcNow(expected.ToUniversalTime().AddSeconds(-1));
            await silo.Reminders.PollOnceAsync();
            Assert.Equal(delivered, probe.Ticks.Count);
            clock.SetUtcNow(expected.ToUniversalTime());
            await silo.Reminders.PollOnceAsync();
            Assert.Equal(++delivered, probe.Ticks.Count);
        }

        Assert.Equal(new[] { first, second, third }.Select(DateTimeOffset.Parse), probe.Ticks.Select(t => t.Status.CurrentTickTime));
        Assert.All(probe.Ticks, t => Assert.Equal(TimeSpan.Zero, t.Status.Period));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task FailedTickIsRetriedWithBackoffUntilTheGrainAcceptsIt(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        var clock = new ManualTimeProvider(Silos.Epoch);
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(database, probe, clock);
        var grain = silo.GrainFactory.GetGrain<IReminderGrain>($"flaky-{dialect}");
        await grain.RegisterEveryAsync("close", TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));

        clock.Advance(TimeSpan.FromMinutes(1));
        await silo.Reminders.PollOnceAsync();
        var afterFirstFailure = Assert.Single(await grain.ListAsync());
        Assert.Equal((1, Silos.Epoch.AddMinutes(1).AddSeconds(10)), (afterFirstFailure.FailedAttempts, afterFirstFailure.NextDueTime));
        clock.Advance(TimeSpan.FromSeconds(10));
        await silo.Reminders.PollOnceAsync();
        var afterSecondFailure = Assert.Single(await grain.ListAsync());
        Assert.Equal((2, Silos.Epoch.AddMinutes(1).AddSeconds(30)), (afterSecondFailure.FailedAttempts, afterSecondFailure.NextDueTime));
        Assert.Empty(probe.Ticks);
        clock.Advance(TimeSpan.FromSeconds(20));
        await silo.Reminders.PollOnceAsync();

        var tick = Assert.Single(probe.Ticks);
        Assert.Equal(Silos.Epoch.AddMinutes(1), tick.Status.CurrentTickTime);
        var entry = Assert.Single(await grain.ListAsync());
        Assert.Equal(0, entry.FailedAttempts);
        Assert.Equal(Silos.Epoch.AddMinutes(1).AddDays(1), entry.NextDueTime);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task UnregisteredReminderNeverFiresAndNotDueRemindersAreNotClaimed(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        var clock = new ManualTimeProvider(Silos.Epoch);
        var probe = new Probe();
        await using var silo = await Silos.StartAsync(database, probe, clock);
        var grain = silo.GrainFactory.GetGrain<IReminderGrain>("quiet");
        await grain.RegisterEveryAsync("gone", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        await grain.RegisterEveryAsync("later", TimeSpan.FromHours(2), TimeSpan.FromHours(2));
        await grain.UnregisterAsync("gone");

        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await silo.Reminders.PollOnceAsync());
        Assert.Empty(probe.Ticks);
        Assert.Equal("later", Assert.Single(await grain.ListAsync()).Name);
    }

    [Fact]
    public async Task RefusesIntervalRemindersFasterThanTheMinimumPeriod()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var silo = await Silos.StartAsync(database, new Probe());

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            silo.GrainFactory.GetGrain<IReminderGrain>("fast").RegisterEveryAsync("fast", TimeSpan.Zero, TimeSpan.FromSeconds(5)));
        Assert.Contains("the minimum is 60000 ms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoSilosPollingTheSameDatabaseDeliverEachTickOnce()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        var clock = new ManualTimeProvider(Silos.Epoch);
        var probe = new Probe();
        await using var first = await Silos.StartAsync(database, probe, clock);
        await using var second = await Silos.StartAsync(database, probe, clock);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(k =>
            first.GrainFactory.GetGrain<IReminderGrain>($"g{k}").RegisterEveryAsync("tick", TimeSpan.FromMinutes(1), TimeSpan.FromDays(1))));

        clock.Advance(TimeSpan.FromMinutes(1));
        // Both silos' own poll timers fire during the move; the explicit polls wait for them and sweep up.
        await Task.WhenAll(first.Reminders.PollOnceAsync(), second.Reminders.PollOnceAsync());

        Assert.Equal(200, probe.Ticks.Select(t => t.Grain).Distinct().Count());
        Assert.Equal(200, probe.Ticks.Count);
    }
}
