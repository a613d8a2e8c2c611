using Billing.Silo.Storage.Sql;
using Billing.Silo.Auth;
using Billing.Silo.Hosting;
using Billing.Silo.Metering;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Billing.Silo.Catalog;

/// <summary>Registers the catalog: its tables, its store, the admin key and API key authentication.</summary>
public static class CatalogServiceCollectionExtensions
{
    public static IServiceCollection AddCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ApiKeyOptions>(configuration.GetSection(ApiKeyOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<AdminKeyOptions>(configuration.GetSection("Billing"), o => o.Validate());
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(CatalogStore).Assembly, "catalog", "Migrations.Catalog"));
        services.AddSingleton<CatalogStore>();
        services.TryAddSingleton<IApiKeyLookup>(sp => sp.GetRequiredService<CatalogStore>());
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<IApiKeyAuthenticator>(sp => sp.GetRequiredService<ApiKeyAuthenticator>());
        services.TryAddSingleton(new SiloConsole(Console.Out));
        services.AddSingleton<AdminKeyVerifier>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminKeyVerifier>());
        return services;
    }
}
