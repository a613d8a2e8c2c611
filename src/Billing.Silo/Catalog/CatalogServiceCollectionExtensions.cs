using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Catalog;

/// <summary>Registers the catalog: its tables and its store (plans, customers, shops, API keys).</summary>
public static class CatalogServiceCollectionExtensions
{
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(CatalogStore).Assembly, "catalog", "Migrations.Catalog"));
        services.AddSingleton<CatalogStore>();
        return services;
    }
}
