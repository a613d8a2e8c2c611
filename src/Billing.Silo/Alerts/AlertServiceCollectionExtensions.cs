
namespace Billing.Silo.Alerts;

public static class AlertServiceCollectionExtensions
{
    /// <summary>
    /// Cost and token alerts. Call before <c>AddGrainRuntime</c>: hosted services stop in reverse
    /// order, so the alert writer then stops after the grains and writes what they raised last.
    /// </summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAlertStore(configuration);
        services.AddSingleton<AlertOutbox>();
        services.AddSingleton<TokenAlerts>();
        services.AddSingleton<UsageCostReader>();
        services.AddSingleton<AlertWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertWriter>());
        services.AddSingleton<CostAlertMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<CostAlertMonitor>());
        return services;
    }

    /// <summary>
    /// The alerts as the API reads them, without the writer and the cost monitor: on the front door
    /// no grain raises alerts, and the cost monitor runs on the silos.
    /// </summary>
    public static IServiceCollection AddAlertStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AlertOptions>(configuration.GetSection(AlertOptions.SectionName), o => o.Validate());
        services.AddSingleton<AlertStore>();
        return services;
    }
}
