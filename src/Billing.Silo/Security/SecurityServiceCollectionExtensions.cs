using Billing.Silo.Audit;
using Billing.Silo.Invoicing;
using Billing.Silo.Storage.Sql;

namespace Billing.Silo.Security;

/// <summary>Registers operator keys and the audit log, and their tables.</summary>
public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddOperatorSecurity(this IServiceCollection services)
    {
        services.AddSingleton<IMigrationSource>(new EmbeddedMigrationSource(typeof(OperatorKeyStore).Assembly, "security", "Migrations.Security"));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IInvoiceIssueParticipant, InvoiceIssueAudit>();
        services.AddSingleton<OperatorKeyStore>();
        services.AddSingleton<OperatorAuthenticator>();
        return services;
    }
}
