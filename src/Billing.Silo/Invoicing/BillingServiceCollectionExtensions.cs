using Billing.Silo.Storage.Sql;
using Billing.Silo.Invoicing.Runs;
using Billing.Silo.Payments.Transfers;

namespace Billing.Silo.Invoicing;

/// <summary>Registers billing: its tables, periods and invoices, their standing, revenue, pricing, and billing runs (which bill through an <see cref="IShopBiller"/> that the grains provide).</summary>
public static class BillingServiceCollectionExtensions
{
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<BillingOptions>(configuration.GetSection(BillingOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<BillingRunOptions>(configuration.GetSection(BillingRunOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<GitHubOptions>(configuration.GetSection(GitHubOptions.SectionName), o => o.Validate());
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(InvoiceBook).Assembly, "billing", "Migrations.Billing"));
        services.AddSingleton<InvoiceBook>();
        services.AddSingleton<CreditNoteBook>();
        services.AddSingleton<ShopTermsReader>();
        services.AddSingleton<PricePlanStore>();
        services.AddSingleton<RevenueStore>();
        services.AddSingleton<PeriodPricer>();
        services.AddSingleton<PeriodStandingStore>();
        services.AddSingleton<PeriodStandings>();
        services.AddSingleton<BankTransferStore>();
        services.AddSingleton<BankTransfers>();
        services.AddSingleton<StatementImport>();
        services.AddSingleton<ShopPeriods>();
        services.AddSingleton<ShopTermsWriter>();
        services.AddSingleton<ShopTermsChanges>();
        services.AddSingleton<BillingRunStore>();
        services.AddSingleton<BillingRunner>();
        services.AddSingleton<Analytics.MrrQuery>();
        services.AddSingleton<Analytics.RevenueQuery>();
        services.AddSingleton<Analytics.UsageQuery>();
        return services;
    }
}
