using Billing.Silo.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Billing.Silo.Tests.Storage;

/// <summary>
/// What the shop grain relies on from the <c>billing</c> grain storage, on either dialect: the
/// SQLite adapter and Orleans' ADO.NET provider over the PostgreSQL migration answer alike.
/// </summary>
public abstract class GrainStorageContract
{
    protected const string ServiceId = "billing-grain-state-tests";
    private const string StateName = ShopGrain.CloseStateName;

    private static readonly GrainId Shop = GrainId.Create("shop", "shop-1");
    private static readonly DateTimeOffset FailedAt = new(2026, 12, 1, 0, 0, 0, 125, TimeSpan.Zero);

    protected static IGrainStorageSerializer Serializer { get; } =
        new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));

    protected static IActivatorProvider Activators { get; } =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>();

    protected static IOptions<ClusterOptions> Cluster(string serviceId) => Options.Create(new ClusterOptions { ServiceId = serviceId });

    /// <summary>A new storage instance over the test's database, as a new silo would have.</summary>
    protected abstract Task<IGrainStorage> StorageAsync(string serviceId);

    [Fact]
    public async Task NeverWrittenStateReadsAsANewStateWithNoEtag()
    {
        var state = await ReadAsync(await StorageAsync(ServiceId), Shop);

        Assert.Equal(new ShopCloseState(), state.State);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task WrittenStateReadsBackWithTheEtagEachWriteReturned()
    {
        var storage = await StorageAsync(ServiceId);
        var state = new GrainState<ShopCloseState>(new ShopCloseState().Failed("database away", FailedAt));

        await storage.WriteStateAsync(StateName, Shop, state);
        var first = state.ETag;
        state.State = state.State!.Failed("still away", FailedAt.AddMinutes(1));
        await storage.WriteStateAsync(StateName, Shop, state);

        var read = await ReadAsync(storage, Shop);
        Assert.Equal(("1", "2"), (first, state.ETag));
        Assert.Equal(("2", true), (read.ETag, read.RecordExists));
        Assert.Equal(new ShopCloseState { FailedAttempts = 2, LastFailure = "still away", LastFailedAt = FailedAt.AddMinutes(1) }, read.State);
    }

    [Fact]
    public async Task WriteWithAStaleEtagThrowsInconsistentStateAndKeepsTheNewerState()
    {
        var storage = await StorageAsync(ServiceId);
        await storage.WriteStateAsync(StateName, Shop, new GrainState<ShopCloseState>(new ShopCloseState().Failed("first", FailedAt)));
        var winner = await ReadAsync(storage, Shop);
        var loser = await ReadAsync(storage, Shop);
        winner.State = winner.State!.Recovered(FailedAt.AddHours(1));
        await storage.WriteStateAsync(StateName, Shop, winner);

        loser.State = loser.State!.Failed("second", FailedAt.AddMinutes(1));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Shop, loser));
        // A second first write (no ETag) finds the row there: a duplicate activation, also refused.
        var fresh = new GrainState<ShopCloseState>(new ShopCloseState().Failed("third", FailedAt));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Shop, fresh));

        var read = await ReadAsync(storage, Shop);
        Assert.Equal(("2", 0, "first", FailedAt.AddHours(1)), (read.ETag, read.State!.FailedAttempts, read.State.LastFailure, read.State.RecoveredAt));
    }

    [Fact]
    public async Task ClearEmptiesTheStateAndMovesTheEtagOnSoAStaleWriteCannotBringItBack()
    {
        var storage = await StorageAsync(ServiceId);
        var state = new GrainState<ShopCloseState>(new ShopCloseState().Failed("database away", FailedAt));
        await storage.WriteStateAsync(StateName, Shop, state);
        var stale = await ReadAsync(storage, Shop);

        await storage.ClearStateAsync(StateName, Shop, state);

        Assert.Equal(("2", false, new ShopCloseState()), (state.ETag, state.RecordExists, state.State));
        var read = await ReadAsync(storage, Shop);
        Assert.Equal(("2", false, new ShopCloseState()), (read.ETag, read.RecordExists, read.State));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Shop, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Shop, stale));
        await storage.WriteStateAsync(StateName, Shop, read);
        Assert.Equal(("3", true), (read.ETag, read.RecordExists));
    }

    [Fact]
    public async Task ClearOfAStateNeverWrittenWritesNothing()
    {
        var storage = await StorageAsync(ServiceId);
        var state = new GrainState<ShopCloseState>(new ShopCloseState());

        await storage.ClearStateAsync(StateName, Shop, state);

        Assert.Equal((null, false), (state.ETag, state.RecordExists));
        Assert.Null((await ReadAsync(storage, Shop)).ETag);
    }

    [Fact]
    public async Task StateSurvivesANewStorageInstanceOverTheSameDatabase()
    {
        await (await StorageAsync(ServiceId)).WriteStateAsync(StateName, Shop, new GrainState<ShopCloseState>(new ShopCloseState().Failed("before the restart", FailedAt)));

        var read = await ReadAsync(await StorageAsync(ServiceId), Shop);

        Assert.Equal(("1", true), (read.ETag, read.RecordExists));
        Assert.Equal(new ShopCloseState { FailedAttempts = 1, LastFailure = "before the restart", LastFailedAt = FailedAt }, read.State);
    }

    [Fact]
    public async Task TwoServiceIdsAndTwoGrainsNeverSeeEachOthersState()
    {
        var billing = await StorageAsync(ServiceId);
        var other = await StorageAsync("another-service");
        await billing.WriteStateAsync(StateName, Shop, new GrainState<ShopCloseState>(new ShopCloseState().Failed("billing's", FailedAt)));

        var otherService = await ReadAsync(other, Shop);
        var otherShop = await ReadAsync(billing, GrainId.Create("shop", "shop-2"));
        await other.WriteStateAsync(StateName, Shop, new GrainState<ShopCloseState>(new ShopCloseState().Failed("the other's", FailedAt)));

        Assert.Equal((null, false), (otherService.ETag, otherService.RecordExists));
        Assert.Equal((null, false), (otherShop.ETag, otherShop.RecordExists));
        Assert.Equal("billing's", (await ReadAsync(billing, Shop)).State!.LastFailure);
        Assert.Equal("the other's", (await ReadAsync(other, Shop)).State!.LastFailure);
    }

    private static async Task<GrainState<ShopCloseState>> ReadAsync(IGrainStorage storage, GrainId grainId)
    {
        var state = new GrainState<ShopCloseState>();
        await storage.ReadStateAsync(StateName, grainId, state);
        return state;
    }
}
