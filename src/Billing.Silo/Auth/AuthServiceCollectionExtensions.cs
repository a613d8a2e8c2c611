using Billing.Silo.Catalog;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Billing.Silo.Auth;

/// <summary>Registers authentication: API keys looked up in the catalog, and the admin key.</summary>
public static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ApiKeyOptions>(configuration.GetSection(ApiKeyOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<AdminKeyOptions>(configuration.GetSection("Billing"), o => o.Validate());
        services.TryAddSingleton<IApiKeyLookup>(sp => sp.GetRequiredService<CatalogStore>());
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<IApiKeyAuthenticator>(sp => sp.GetRequiredService<ApiKeyAuthenticator>());
        services.TryAddSingleton(new SiloConsole(Console.Out));
        services.AddValidatedOptions<RateLimitOptions>(configuration.GetSection(RateLimitOptions.SectionName), o => o.Validate());
        services.AddSingleton<RequestLimits>();
        services.AddSingleton<AdminKeyVerifier>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminKeyVerifier>());
        return services;
    }
}
