using Billing.Silo.Invoicing;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>The outbox in either role: invoices and alerts queue their mails wherever they are written, and the admin API lists them.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EmailOptions>(configuration.GetSection(EmailOptions.SectionName), o => o.Validate());
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(EmailOutbox).Assembly, "email", "Migrations.Email"));
        services.AddSingleton<EmailOutbox>();
        services.AddSingleton<IInvoiceIssueParticipant, InvoiceIssuedMail>();
        return services;
    }

    /// <summary>On silos only (not the front door): the sender, which runs only while e-mail is on.</summary>
    public static IServiceCollection AddEmailSender(this IServiceCollection services)
    {
        services.AddSingleton<EmailSender>();
        services.AddHostedService(sp => sp.GetRequiredService<EmailSender>());
        return services;
    }
}
