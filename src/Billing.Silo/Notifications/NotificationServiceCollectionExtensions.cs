namespace Billing.Silo.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>The outbox in either role (billing runs notify wherever they run), the sender with it.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<NotificationOptions>(configuration.GetSection(NotificationOptions.SectionName), o => o.Validate());
        services.AddHttpClient(NotificationSender.HttpClientName);
        services.AddSingleton<NotificationOutbox>();
        services.AddHostedService<NotificationSender>();
        return services;
    }
}
