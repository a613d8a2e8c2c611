using Billing.Silo.Storage.Sql;
using Billing.Silo.Invoicing.Runs;
using Billing.Silo.Hosting;
using Billing.Silo.Metering;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Billing.Silo.Invoicing;

/// <summary>Registers billing: its tables, periods and invoices, their standing, revenue, pricing, and billing runs.</summary>
public static class BillingServiceCollectionExtensions
{
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<BillingOptions>(configuration.GetSection(BillingOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<BillingRunOptions>(configuration.GetSection(BillingRunOptions.SectionName), o => o.Validate());
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(InvoiceBook).Assembly, "billing", "Migrations.Billing"));
        services.AddSingleton<InvoiceBook>();
        services.AddSingleton<ShopTermsReader>();
        services.AddSingleton<PricePlanStore>();
        services.AddSingleton<RevenueStore>();
        services.AddSingleton<PeriodPricer>();
        services.AddSingleton<PeriodStandingStore>();
        services.AddSingleton<PeriodStandings>();
        services.AddSingleton<ShopPeriods>();
        services.AddSingleton<ShopTermsWriter>();
        services.AddSingleton<ShopTermsChanges>();
        services.AddSingleton<BillingRunStore>();
        services.TryAddSingleton<IShopBiller, GrainShopBiller>();
        services.AddSingleton<BillingRunner>();
        services.AddSingleton<Api.Metering.BackdateWindow>();
        return services;
    }
}

/// <summary>Bills a shop through its grain, so a run and the shop's reminder never close the same period at once.</summary>
public sealed class GrainShopBiller(IGrainFactory grains) : IShopBiller
{
    public Task<ShopBillingResult> BillAsync(string shopId, CloseRequest request, CancellationToken cancellationToken) =>
        grains.GetGrain<IShopGrain>(shopId).BillAsync(request).WaitAsync(cancellationToken);
}
