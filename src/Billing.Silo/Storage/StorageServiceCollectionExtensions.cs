using Billing.Silo.Storage.Sql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Billing:Storage</c> and <c>ConnectionStrings:Billing</c> (validated at start), the
    /// database, its migrations (the Orleans providers' tables among them) and the start-up step
    /// that applies them. Register before the Orleans silo: hosted services start in order, and the
    /// AdoNet providers read their queries from the migrated tables. <paramref name="duty"/> says
    /// whether this process migrates (the default) or waits for the silos to have migrated.
    /// </summary>
    public static IServiceCollection AddBillingStorage(this IServiceCollection services, IConfiguration configuration, SchemaDuty? duty = null)
    {
        services.AddValidatedOptions<StorageOptions>(configuration.GetSection("Billing"), o => o.Validate());
        services.PostConfigure<StorageOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(o.ConnectionString))
            {
                o.ConnectionString = StorageSettings.ConnectionStringOf(configuration);
            }
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(CreateDatabase);
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(StorageStartup).Assembly, "orleans", "Migrations.Orleans"));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton(duty ?? SchemaDuty.Migrate);
        services.AddSingleton<StorageInitializer>();
        services.AddHostedService<StorageStartup>();
        return services;
    }

    private static SqlDatabase CreateDatabase(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        return options.IsPostgres
            ? new PostgresDatabase(options.ConnectionString!)
            : new SqliteDatabase(options.ConnectionString ?? StorageOptions.DefaultSqliteConnectionString);
    }
}

/// <summary>The storage settings as configuration holds them, for wiring that runs before options exist (the Orleans silo's providers).</summary>
public static class StorageSettings
{
    public static StorageOptions Read(IConfiguration configuration)
    {
        var options = new StorageOptions();
        configuration.GetSection("Billing").Bind(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            options.ConnectionString = ConnectionStringOf(configuration);
        }

        return options;
    }

    public static string? ConnectionStringOf(IConfiguration configuration) =>
        configuration.GetConnectionString("Billing") is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}

/// <summary>Migrates the schema before anything else starts; a no-op when the host already did (the initializer runs once).</summary>
internal sealed class StorageStartup(StorageInitializer storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureInitializedAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
