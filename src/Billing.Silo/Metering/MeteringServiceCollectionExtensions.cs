using Billing.Silo.Storage.Sql;
using Billing.Silo.Metering.Journal;

namespace Billing.Silo.Metering;

public static class MeteringServiceCollectionExtensions
{
    /// <summary>
    /// The metering tables and the usage journal. Call before the Orleans silo is added: hosted
    /// services stop in reverse order, so the journal then stops after the grains have made their
    /// last appends.
    /// </summary>
    public static IServiceCollection AddMeteringJournal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<UsageJournalOptions>(configuration.GetSection(UsageJournalOptions.SectionName), o => o.Validate());
        services.AddSingleton(sp => UsageJournalStores.For(sp.GetRequiredService<SqlDatabase>()));
        services.AddSingleton<UsageJournal>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageJournal>());
        return services.AddMeteringReads();
    }

    /// <summary>
    /// The metering tables and their readers without the journal: the front door hosts no grains,
    /// so nothing there appends usage, and a second journal would flush nothing but compete for connections.
    /// </summary>
    public static IServiceCollection AddMeteringReads(this IServiceCollection services)
    {
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(UsageJournal).Assembly, "metering", "Migrations.Metering"));
        services.AddSingleton<MeteringStore>();
        services.AddSingleton<AccountSuspensions>();
        services.AddSingleton<ShopUsageReader>();
        return services;
    }
}
