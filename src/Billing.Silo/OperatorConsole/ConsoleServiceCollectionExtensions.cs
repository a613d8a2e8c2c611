using Billing.Silo.Storage.Sql;

namespace Billing.Silo.OperatorConsole;

/// <summary>Registers the operator console: Razor components rendered on the server, antiforgery for its forms, its own reads.</summary>
public static class ConsoleServiceCollectionExtensions
{
    public static IServiceCollection AddOperatorConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(ConsoleQueries).Assembly, "console", "Migrations.Console"));
        services.AddRazorComponents();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "billing_console_antiforgery";
            o.Cookie.Path = ConsolePaths.Root;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__console_token";
        });
        services.AddValidatedOptions<ConsoleOptions>(configuration.GetSection(ConsoleOptions.SectionName), o => o.Validate());
        services.AddSingleton<ConsoleQueries>();
        services.AddSingleton<ConsoleFiguresCache>();
        return services;
    }
}
