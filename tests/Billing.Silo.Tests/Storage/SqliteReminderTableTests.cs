using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Billing.Silo.Storage.Reminders;
using Billing.Silo.Storage.Sql;
using Billing.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Reminders;
using Orleans.Runtime;

namespace Billing.Silo.Tests.Storage;

public sealed class SqliteReminderTableTests : IAsyncLifetime
{
    internal const string ServiceId = "billing-reminder-tests";
    private const string ReminderName = "month-end";

    // Where the migration lives: Storage/Migrations/Orleans/sqlite/0001_orleans_reminders.sql, embedded.
    private const string MigrationModule = "orleans";
    private const string MigrationFolder = "Migrations.Orleans";

    private readonly string directory = Path.Combine(Path.GetTempPath(), "billing-reminder-tests", Guid.NewGuid().ToString("N"));
    private SqliteDatabase database = null!;

    private string DatabasePath => Path.Combine(directory, "billing.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        database = new SqliteDatabase($"Data Source={DatabasePath}");
        var source = new EmbeddedMigrationSource(typeof(SqliteReminderTable).Assembly, MigrationModule, MigrationFolder);
        var applied = await new SchemaMigrator(database, [source], TimeProvider.System).MigrateAsync(CancellationToken.None);
        Assert.Equal(["0001_orleans_reminders.sql", "0002_orleans_grain_state.sql"], applied.Select(s => s.Name));
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task UpsertedRowReadsBackWithEveryFieldAndTheReturnedEtag()
    {
        var table = Table(ServiceId);
        var entry = Entry("invoice/shop-1", ReminderName, new DateTime(2026, 1, 31, 23, 59, 30, 125, DateTimeKind.Utc), TimeSpan.FromMinutes(1));

        var etag = await table.UpsertRow(entry);

        var row = await table.ReadRow(entry.GrainId, ReminderName);
        Assert.NotNull(row);
        Assert.Equal(entry.GrainId, row.GrainId);
        Assert.Equal(ReminderName, row.ReminderName);
        Assert.Equal(entry.StartAt, row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(TimeSpan.FromMinutes(1), row.Period);
        Assert.Equal(etag, row.ETag);
        var rows = await table.ReadRows(entry.GrainId);
        Assert.Equal(etag, Assert.Single(rows.Reminders).ETag);
        Assert.Null(await table.ReadRow(entry.GrainId, "other"));
    }

    [Fact]
    public async Task SecondUpsertReturnsALargerEtagAndReplacesTheSchedule()
    {
        var table = Table(ServiceId);
        var first = Entry("invoice/shop-1", ReminderName, new DateTime(2026, 1, 31, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1));
        var second = Entry("invoice/shop-1", ReminderName, new DateTime(2026, 2, 28, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromHours(1));

        var etag1 = await table.UpsertRow(first);
        var etag2 = await table.UpsertRow(second);

        Assert.NotEqual(etag1, etag2);
        Assert.True(Version(etag2) > Version(etag1), $"{etag2} should be larger than {etag1}");
        var row = await table.ReadRow(second.GrainId, ReminderName);
        Assert.NotNull(row);
        Assert.Equal(etag2, row.ETag);
        Assert.Equal(second.StartAt, row.StartAt);
        Assert.Equal(TimeSpan.FromHours(1), row.Period);
    }

    [Fact]
    public async Task RemoveWithAStaleEtagReturnsFalseAndKeepsTheRow()
    {
        var table = Table(ServiceId);
        var entry = Entry("invoice/shop-1", ReminderName, new DateTime(2026, 1, 31, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1));
        var stale = await table.UpsertRow(entry);
        var current = await table.UpsertRow(entry);

        Assert.False(await table.RemoveRow(entry.GrainId, ReminderName, stale!));
        Assert.False(await table.RemoveRow(entry.GrainId, ReminderName, "not-an-etag"));
        Assert.Equal(current, (await table.ReadRow(entry.GrainId, ReminderName))?.ETag);

        Assert.True(await table.RemoveRow(entry.GrainId, ReminderName, current!));
        Assert.Null(await table.ReadRow(entry.GrainId, ReminderName));
        Assert.False(await table.RemoveRow(entry.GrainId, ReminderName, current!));
    }

    [Fact]
    public async Task ReminderRegisteredAgainAfterRemovalGetsALargerEtagThanTheRemovedOne()
    {
        var table = Table(ServiceId);
        var entry = Entry("invoice/shop-1", ReminderName, new DateTime(2026, 1, 31, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1));
        var removed = await table.UpsertRow(entry);
        Assert.True(await table.RemoveRow(entry.GrainId, ReminderName, removed!));

        var again = await table.UpsertRow(entry);

        Assert.True(Version(again) > Version(removed), $"{again} should be larger than {removed}");
        Assert.False(await table.RemoveRow(entry.GrainId, ReminderName, removed!));
        Assert.Equal(again, (await table.ReadRow(entry.GrainId, ReminderName))?.ETag);
    }

    [Fact]
    public async Task RangeReadsReturnHashesInBeginExclusiveEndInclusiveAndWrapPastUintMax()
    {
        var table = Table(ServiceId);
        // Twelve grains sorted by their ring hash; the bounds below are those hashes themselves.
        var grains = Enumerable.Range(0, 12).Select(i => GrainId.Create("invoice", $"shop-{i}")).OrderBy(g => g.GetUniformHashCode()).ToArray();
        var hashes = grains.Select(g => g.GetUniformHashCode()).ToArray();
        Assert.Contains(hashes, h => h > int.MaxValue);
        Assert.Contains(hashes, h => h <= int.MaxValue);
        foreach (var grain in grains)
        {
            await table.UpsertRow(Entry(grain.ToString(), ReminderName, new DateTime(2026, 1, 31, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1)));
        }

        async Task<GrainId[]> Read(uint begin, uint end) =>
            (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId).OrderBy(g => g.GetUniformHashCode()).ToArray();

        async Task Expect(GrainId[] expected, uint begin, uint end)
        {
            var actual = await Read(begin, end);
            Assert.Equal(expected, actual);
        }

        // begin < end: hash > begin AND hash <= end.
        await Expect(grains[3..6], hashes[2], hashes[5]);
        // begin > end: the range wraps, hash > begin OR hash <= end.
        await Expect([.. grains[..3], .. grains[9..]], hashes[8], hashes[2]);
        // A range across the signed/unsigned boundary, which a signed column would get wrong.
        var lastLow = Array.FindLastIndex(hashes, h => h <= int.MaxValue);
        Assert.InRange(lastLow, 1, hashes.Length - 2);
        await Expect(grains[lastLow..(lastLow + 2)], hashes[lastLow - 1], hashes[lastLow + 1]);
        // begin == end is the whole ring.
        await Expect(grains, hashes[4], hashes[4]);
        await Expect(grains, 0, 0);
        await Expect(grains, 0, uint.MaxValue);
        // Between two neighbours there is nothing: (hashes[4], hashes[5] - 1].
        Assert.True(hashes[5] - hashes[4] > 1);
        Assert.Empty(await Read(hashes[4], hashes[5] - 1));

        // And it agrees with Orleans' own ring range for every pair of bounds around the grains.
        uint[] bounds = [0, .. hashes, .. hashes.Select(h => h + 1), int.MaxValue, (uint)int.MaxValue + 1, uint.MaxValue];
        foreach (var begin in bounds)
        {
            foreach (var end in bounds)
            {
                var range = RangeFactory.CreateRange(begin, end);
                await Expect(grains.Where(g => range.InRange(g)).ToArray(), begin, end);
            }
        }
    }

    [Fact]
    public async Task TwoServiceIdsInOneFileNeverSeeEachOthersReminders()
    {
        var billing = Table(ServiceId);
        var other = Table("another-service");
        var entry = Entry("invoice/shop-1", ReminderName, new DateTime(2026, 1, 31, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1));
        var etag = await billing.UpsertRow(entry);

        Assert.Null(await other.ReadRow(entry.GrainId, ReminderName));
        Assert.Empty((await other.ReadRows(entry.GrainId)).Reminders);
        Assert.Empty((await other.ReadRows(0, 0)).Reminders);
        Assert.False(await other.RemoveRow(entry.GrainId, ReminderName, etag!));
        await other.TestOnlyClearTable();

        Assert.Equal(etag, (await billing.ReadRow(entry.GrainId, ReminderName))?.ETag);
        await billing.TestOnlyClearTable();
        Assert.Empty((await billing.ReadRows(0, 0)).Reminders);
    }

    [Fact]
    public async Task OverlongReminderNameIsRefusedBeforeAnythingIsWritten()
    {
        var table = Table(ServiceId);
        var name = new string('r', SqliteReminderTable.MaxReminderNameLength + 1);

        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertRow(Entry("invoice/shop-1", name, new DateTime(2026, 1, 31, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1))));

        Assert.Empty((await table.ReadRows(0, 0)).Reminders);
    }

    [Fact]
    public async Task StartOnADatabaseThatWasNeverMigratedFailsNamingTheMigration()
    {
        var bare = new SqliteDatabase($"Data Source={Path.Combine(directory, "bare.db")}");
        var table = new SqliteReminderTable(bare, Options.Create(new ClusterOptions { ServiceId = ServiceId }));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => table.StartAsync());

        Assert.Contains("0001_orleans_reminders", error.Message, StringComparison.Ordinal);
        await Table(ServiceId).StartAsync();
    }

    [Fact]
    public async Task SiloOverAFileThatWasNeverMigratedFailsToStart()
    {
        // The table's StartAsync runs in the silo's lifecycle, whose failure Orleans rethrows as is.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReminderProbeSilo.StartAsync(Path.Combine(directory, "bare.db"), new TickLog()));

        Assert.Contains("has migration 0001_orleans_reminders run? SQLite Error 1: 'no such table: orleans_reminders'", error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task ReminderRegisteredOnOneSiloFiresOnTheNextSiloOverTheSameFile()
    {
        var firstTicks = new TickLog();
        GrainId grainId;
        await using (var first = await ReminderProbeSilo.StartAsync(DatabasePath, firstTicks))
        {
            var grain = first.Grains.GetGrain<IReminderProbeGrain>("shop-1");
            grainId = grain.GetGrainId();
            await grain.Register(ReminderName, TimeSpan.FromSeconds(6), TimeSpan.FromMinutes(1));
        }

        // The row outlives the silo; the second silo has only the file to go by.
        var row = await Table(ServiceId).ReadRow(grainId, ReminderName);
        Assert.NotNull(row);
        Assert.Empty(firstTicks.Ticks);
        var secondTicks = new TickLog();
        await using (await ReminderProbeSilo.StartAsync(DatabasePath, secondTicks))
        {
            // Orleans skips a tick that fell due while no silo ran (see the manual-clock test below),
            // so this test only means something if the second silo came up before the due time.
            Assert.True(TimeProvider.System.GetUtcNow().UtcDateTime < row.StartAt, $"The restart took past the due time {row.StartAt:O}.");
            var tick = await secondTicks.WaitForAsync(1, TimeSpan.FromSeconds(30));
            Assert.Equal(("shop-1", ReminderName), (tick.GrainKey, tick.ReminderName));
            Assert.Equal(row.StartAt, tick.Status.FirstTickTime);
            Assert.Equal(TimeSpan.FromMinutes(1), tick.Status.Period);
        }

        Assert.Empty(firstTicks.Ticks);
    }

    // The tests below drive Orleans' reminder clock (keyed "Orleans.Reminders") by hand. A tick is
    // delivered asynchronously after the move that fires its wait, so each waits (bounded) for it.

    private SqliteReminderTable Table(string serviceId) =>
        new(database, Options.Create(new ClusterOptions { ServiceId = serviceId }));

    private static ReminderEntry Entry(string grainId, string name, DateTime startAt, TimeSpan period) => new()
    {
        GrainId = GrainId.Parse(grainId),
        ReminderName = name,
        StartAt = startAt,
        Period = period,
    };

    private static long Version(string? etag) => long.Parse(etag!, CultureInfo.InvariantCulture);
}

/// <summary>One silo on loopback with the SQLite reminder table, stopped (bounded) on dispose.</summary>
internal sealed class ReminderProbeSilo : IAsyncDisposable
{
    private readonly IHost host;

    private ReminderProbeSilo(IHost host) => this.host = host;

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<ReminderProbeSilo> StartAsync(string databasePath, TickLog ticks)
    {
        var port = FreePorts.Next();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<SqlDatabase>(new SqliteDatabase($"Data Source={databasePath}"));
        builder.Services.AddSingleton(ticks);
        builder.UseOrleans(silo =>
        {
            // Gateway port 0: no client gateway; the test calls grains through the silo's own factory.
            silo.UseLocalhostClustering(siloPort: port, gatewayPort: 0, serviceId: SqliteReminderTableTests.ServiceId, clusterId: "reminder-tests");
            silo.ConfigureEndpoints(IPAddress.Loopback, port, 0);
            silo.AddReminders();
            silo.Services.AddSingleton<IReminderTable, SqliteReminderTable>();
        });
        var silo = new ReminderProbeSilo(builder.Build());
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await silo.host.StartAsync(timeout.Token);
            return silo;
        }
        catch
        {
            // Orleans has already unwound the stages that started (stopping it again throws);
            // the host still holds the service provider and what it created.
            silo.host.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }
}

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Register(string reminderName, TimeSpan dueTime, TimeSpan period);
}

public sealed class ReminderProbeGrain(TickLog ticks) : Grain, IReminderProbeGrain, IRemindable
{
    public async Task Register(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(reminderName, dueTime, period);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.Record(new Tick(this.GetPrimaryKeyString(), reminderName, status));
        return Task.CompletedTask;
    }
}

public sealed record Tick(string GrainKey, string ReminderName, TickStatus Status);

/// <summary>The ticks one silo delivered, in order.</summary>
public sealed class TickLog
{
    private readonly Lock gate = new();
    private readonly List<Tick> ticks = [];

    public IReadOnlyList<Tick> Ticks
    {
        get { lock (gate) { return [.. ticks]; } }
    }

    public void Record(Tick tick)
    {
        lock (gate) { ticks.Add(tick); }
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> ticks arrived; returns the count-th.</summary>
    public async Task<Tick> WaitForAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = Ticks;
            if (seen.Count >= count)
            {
                return seen[count - 1];
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Saw {seen.Count} reminder ticks in {timeout}, expected {count}.");
            }

            await Task.Delay(20);
        }
    }
}
