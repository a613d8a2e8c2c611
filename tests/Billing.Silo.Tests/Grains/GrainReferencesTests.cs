using Billing.Silo.Grains;
using Billing.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Billing.Silo.Tests.Grains;

/// <summary>The cached references address exactly the grains Orleans' own <c>GetGrain</c> does.</summary>
public sealed class GrainReferencesTests
{
    [Fact]
    public async Task CachedReferencesEqualOrleansOwnOnEveryCall()
    {
        await using var database = await TestDatabase.CreateAsync(StorageOptions.Sqlite);
        await using var silo = new SiloFactory(database);
        var grains = silo.Services.GetRequiredService<IGrainFactory>();

        foreach (var key in new[] { "cus_a", "cus_b", "cus_a" })
        {
            AssertSame(grains.GetGrain<ISubscriptionGrain>(key), grains.Subscription(key));
            AssertSame(grains.GetGrain<IShopGrain>("shp_" + key), grains.Shop("shp_" + key));
        }

        var view = await grains.Subscription("cus_fresh").GetAsync();
        Assert.Equal(0L, view.TokensGranted);
    }

    [Fact]
    public void BlankKeysAreRefused()
    {
        // Refused before any factory is touched, as Orleans' own GetGrain refuses them.
        IGrainFactory grains = null!;
        Assert.Throws<ArgumentException>(() => grains.Subscription(" "));
        Assert.Throws<ArgumentException>(() => grains.Shop(""));
    }

    private static void AssertSame(object expected, object actual)
    {
        var (want, got) = ((GrainReference)expected, (GrainReference)actual);
        Assert.Equal(want.GrainId, got.GrainId);
        Assert.Equal(want.InterfaceType, got.InterfaceType);
        Assert.Equal(expected.GetType(), actual.GetType());
    }
}
