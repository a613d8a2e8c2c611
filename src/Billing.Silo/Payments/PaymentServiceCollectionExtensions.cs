using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Payments;

public static class PaymentServiceCollectionExtensions
{
    /// <summary>Payments as the API needs them in either role: the table, the provider and the purchase flow.</summary>
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PaymentOptions>(configuration.GetSection(PaymentOptions.SectionName), o => o.Validate());
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(PaymentStore).Assembly, "payments", "Migrations.Payments"));
        services.AddSingleton<PaymentStore>();
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PaymentOptions>>().Value.Provider == PaymentOptions.StripeProvider
            ? new StripePaymentProvider(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PaymentOptions>>())
            : new SandboxPaymentProvider());
        services.AddSingleton<PlanPurchases>();
        services.AddSingleton<InvoiceRefunds>();
        services.AddSingleton<StripeWebhooks>();
        return services;
    }

    /// <summary>On silos only: the sweep that grants purchases a crash left paid but ungranted.</summary>
    public static IServiceCollection AddPaymentSweeper(this IServiceCollection services)
    {
        services.AddSingleton<PaymentGrantSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<PaymentGrantSweeper>());
        return services;
    }
}
