using Billing.Silo.Catalog;

namespace Billing.Silo.Metering;

/// <summary>Shop profiles from the catalog: the shop, and its customer's zone and currency.</summary>
internal sealed class CatalogShopProfiles(CatalogStore catalog) : IShopProfiles
{
    public async Task<ShopProfile?> GetAsync(string shopId, CancellationToken cancellationToken)
    {
        var shop = await catalog.GetShopAsync(shopId, cancellationToken);
        var customer = shop is null ? null : await catalog.GetCustomerAsync(shop.CustomerId, cancellationToken);
        return customer is null ? null : new ShopProfile(shop!.Id, customer.Id, customer.TimeZoneId, customer.Currency);
    }
}
