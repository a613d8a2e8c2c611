namespace Billing.Silo.Dashboard;

/// <summary>Registers the dashboard's login; the Orleans dashboard itself is added to the silo in <see cref="ClusterHosting"/>.</summary>
public static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddDashboardLogin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DashboardLoginOptions>(configuration.GetSection(DashboardLoginOptions.SectionName), o => o.Validate());
        services.AddSingleton<DashboardSessions>();
        return services;
    }
}
