namespace Billing.Silo.Privacy;

/// <summary>Registers the GDPR export and erasure of a customer.</summary>
public static class PrivacyServiceCollectionExtensions
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddSingleton<CustomerExport>();
        services.AddSingleton<CustomerErasure>();
        return services;
    }
}
