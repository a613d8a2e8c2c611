using Billing.Runtime.Core;
using Billing.Runtime.Hosting;
using Billing.Runtime.Metrics;
using Billing.Runtime.Reminders;
using Billing.Runtime.Storage;
using Billing.Runtime.Storage.Sql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Runtime;

/// <summary>Registers the grain runtime, its storage and its hosted lifecycle.</summary>
public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Billing:Storage</c>, <c>ConnectionStrings:Billing</c>, <c>Billing:Runtime</c> and
    /// <c>Billing:Reminders</c>, validated at start; then add grains with <see cref="GrainRuntimeBuilder.AddGrain{TInterface,TGrain}"/>.
    /// </summary>
    public static GrainRuntimeBuilder AddGrainRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<GrainRuntimeOptions>(configuration.GetSection(GrainRuntimeOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<ReminderOptions>(configuration.GetSection(ReminderOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<StorageOptions>(configuration.GetSection("Billing"), o => o.Validate());
        services.PostConfigure<StorageOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(o.ConnectionString))
            {
                o.ConnectionString = NullIfBlank(configuration.GetConnectionString("Billing"));
            }
        });

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(CreateDatabase);
        services.AddSingleton<IGrainStorage, SqlGrainStorage>();
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(GrainRuntime).Assembly, "runtime"));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton<SqlReminderTable>();
        services.AddSingleton<ReminderRegistry>();
        services.AddSingleton(sp => new GrainRuntime(
            sp, sp.GetServices<GrainTypeInfo>(), sp.GetRequiredService<IGrainStorage>(), sp.GetRequiredService<ReminderRegistry>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<GrainRuntimeOptions>>(), sp.GetRequiredService<ILogger<GrainRuntime>>()));
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddSingleton<IGrainRuntimeMetrics>(sp => sp.GetRequiredService<GrainRuntime>().Metrics);
        services.AddSingleton(sp => new ReminderService(
            sp.GetRequiredService<SqlReminderTable>(), sp.GetRequiredService<GrainRuntime>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<ReminderOptions>>(), sp.GetRequiredService<ILogger<ReminderService>>()));
        services.AddHostedService<SiloLifecycleService>();
        return new GrainRuntimeBuilder(services);
    }

    /// <summary>Options bound from configuration and checked when the host starts: a bad value stops start-up with every problem listed.</summary>
    public static void AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration section, Func<TOptions, IEnumerable<string>> validate)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new DelegatingValidator<TOptions>(validate));
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static SqlDatabase CreateDatabase(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        return options.Storage == StorageOptions.Postgres
            ? new PostgresDatabase(options.ConnectionString!)
            : new SqliteDatabase(options.ConnectionString ?? StorageOptions.DefaultSqliteConnectionString);
    }

    private sealed class DelegatingValidator<TOptions>(Func<TOptions, IEnumerable<string>> validate) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var errors = validate(options).ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

/// <summary>Adds grain classes to the runtime.</summary>
public sealed class GrainRuntimeBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>Registers a grain class behind its interface, with the proxy that turns interface calls into grain calls.</summary>
    public GrainRuntimeBuilder AddGrain<TInterface, TGrain>(Func<GrainReference, TInterface> proxyFactory)
        where TInterface : class, IGrainWithStringKey
        where TGrain : Grain, TInterface
    {
        Services.AddSingleton(GrainTypeInfo.Create<TInterface, TGrain>(proxyFactory));
        return this;
    }
}
