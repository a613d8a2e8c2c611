using Billing.Silo.Invoicing;
using Billing.Silo.Payments.Collection;
using Billing.Silo.Payments.Methods;
using Billing.Silo.Payments.Renewals;
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
        services.AddPayPal();
        services.AddSingleton<IPaymentMethodVault>(sp => (IPaymentMethodVault)sp.GetRequiredService<IPaymentProvider>());
        services.AddSingleton<PaymentMethodStore>();
        services.AddSingleton<PaymentMethods>();
        services.AddSingleton<OffSessionCharges>();
        services.AddSingleton<PlanRenewalStore>();
        services.AddSingleton<RenewalMails>();
        services.AddSingleton<RenewalAttempts>();
        services.AddSingleton<PlanPurchases>();
        services.AddValidatedOptions<DunningOptions>(configuration.GetSection(DunningOptions.SectionName), o => o.Validate());
        services.AddSingleton<InvoiceCollectionStore>();
        services.AddSingleton<CollectionNotices>();
        services.AddSingleton<CollectionMails>();
        services.AddSingleton<CollectionAttempts>();
        services.AddSingleton<CollectionSettlement>();
        services.AddSingleton<IPeriodSettlementObserver>(sp => sp.GetRequiredService<CollectionSettlement>());
        services.AddSingleton<IInvoiceIssueParticipant, CollectionIssueParticipant>();
        services.AddSingleton<InvoiceRefunds>();
        services.AddSingleton<StripeWebhooks>();
        return services;
    }

    /// <summary>PayPal beside the card provider (when configured), and the registry that routes a payment to its provider.</summary>
    private static void AddPayPal(this IServiceCollection services)
    {
        services.AddHttpClient(PayPalClient.HttpClientName, client =>
        {
            // Each call has its own deadline (TimeoutSeconds); the buffer bounds what PayPal's answer may hold.
            client.Timeout = Timeout.InfiniteTimeSpan;
            client.MaxResponseContentBufferSize = PayPalClient.MaxResponseBytes;
        });
        services.AddSingleton<PayPalClient>();
        services.AddSingleton(sp => new PaymentProviders(
            sp.GetRequiredService<IPaymentProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PaymentOptions>>().Value.PayPal.IsConfigured
                ? new PayPalPaymentProvider(sp.GetRequiredService<PayPalClient>())
                : null));
        services.AddSingleton<PayPalCheckouts>();
    }

    /// <summary>On silos only: the sweep that grants purchases a crash left paid but ungranted.</summary>
    public static IServiceCollection AddPaymentSweeper(this IServiceCollection services)
    {
        services.AddSingleton<PaymentGrantSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<PaymentGrantSweeper>());
        services.AddSingleton<CollectionSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<CollectionSweeper>());
        services.AddSingleton<RenewalSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<RenewalSweeper>());
        return services;
    }
}
