using Billing.Domain;
using Billing.Testing;

namespace Billing.Silo.Tests.Catalog;

/// <summary>The reads the metering and billing code uses, straight on the store.</summary>
public sealed class CatalogStoreTests
{
    private const string Absent = "_0123456789abcdefghij";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task StoredObjectsReadBackAsEqualDomainObjects(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var store = silo.Store;
        Assert.True(Plan.TryCreate(CatalogIds.New(CatalogIds.Plan), new PlanDraft("Kilo", 0.5m, "KWD", 1_000_000_000_000, null, false, "é\nü"), out var plan, out _));
        Assert.True(CustomerProfile.TryCreate(
            CatalogIds.New(CatalogIds.Customer), new CustomerDraft("Zürich AG", "rechnung@zuerich.ch", "CHF", "Europe/Zurich", 0.081m), out var customer, out _));
        var shop = new Shop(CatalogIds.New(CatalogIds.Shop), customer.Id, "Laden");

        await store.CreatePlanAsync(plan, CancellationToken.None);
        await store.CreateCustomerAsync(customer, CancellationToken.None);
        Assert.True(await store.CreateShopAsync(shop, CancellationToken.None));

        var readPlan = await store.GetPlanAsync(plan.Id, CancellationToken.None);
        Assert.Equal(plan, readPlan);
        Assert.Equal(new Money(0.500m, Currency.KWD), readPlan!.Price);
        Assert.Equal(customer, await store.GetCustomerAsync(customer.Id, CancellationToken.None));
        Assert.Equal(shop, await store.GetShopAsync(shop.Id, CancellationToken.None));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task UnknownOrMalformedIdsReadAsNull(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);
        var store = silo.Store;

        Assert.Null(await store.GetPlanAsync("plan" + Absent, CancellationToken.None));
        Assert.Null(await store.GetCustomerAsync("cus" + Absent, CancellationToken.None));
        Assert.Null(await store.GetShopAsync("shop" + Absent, CancellationToken.None));
        Assert.Null(await store.GetPlanAsync("cus" + Absent, CancellationToken.None));
        Assert.Null(await store.GetShopAsync("'; DROP TABLE shops; --", CancellationToken.None));
        Assert.Null(await store.IssueApiKeyAsync("shop" + Absent, "ci", CancellationToken.None));
        Assert.Null(await store.RevokeApiKeyAsync("key" + Absent, CancellationToken.None));
        Assert.False(await store.CreateShopAsync(new Shop("shop" + Absent, "cus" + Absent, "Orphan"), CancellationToken.None));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task SettingsAreAddedOnceAndNeverOverwritten(string dialect)
    {
        await using var database = await TestDatabase.CreateAsync(dialect);
        await using var silo = CatalogSilo.Start(database);

        Assert.True(await silo.Store.TryAddSettingAsync("greeting", "hello", CancellationToken.None));
        Assert.False(await silo.Store.TryAddSettingAsync("greeting", "bye", CancellationToken.None));
        Assert.Equal("hello", await silo.Store.GetSettingAsync("greeting", CancellationToken.None));
        Assert.Null(await silo.Store.GetSettingAsync("missing", CancellationToken.None));
    }
}
