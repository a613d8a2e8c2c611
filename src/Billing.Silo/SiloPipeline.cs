using Billing.Silo.Api;
using Billing.Silo.Api.Docs;
using Billing.Silo.Api.Invoicing;
using Billing.Silo.Api.Metering;
using Billing.Silo.Api.Payments;
using Billing.Silo.Dashboard;
using Billing.Silo.Hosting;
using Billing.Silo.OperatorConsole;

namespace Billing.Silo;

/// <summary>
/// The silo's HTTP middleware and every endpoint group. The composition root beside Program.cs (the
/// modules map their own groups and may not know each other), so the benchmarks host the very app
/// Program.cs runs.
/// </summary>
public static class SiloPipeline
{
    public static WebApplication UseBillingPipeline(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseSecurityHeaders();
        app.UseBillingProblemDetails();
        app.MapApiDocs(app.Configuration);
        app.MapHealthApi();
        app.MapLoadTestApi(app.Configuration);
        app.MapMeteringApi();
        app.MapTopUpApi();
        app.MapPaymentsApi();
        app.MapPaymentMethodsApi();
        app.MapCollectionApi();
        app.MapRenewalApi();
        app.MapStripeWebhookApi();
        app.MapPayPalReturnApi();
        app.MapRuntimeMetricsApi();
        app.MapAdminApi();
        app.MapAdminCatalogQueryApi();
        app.MapAdminShopApi();
        app.MapPrivacyApi();
        app.MapOperatorKeyApi();
        app.MapAuditApi();
        app.MapCustomerCatalogApi();
        app.MapInvoiceApi();
        app.MapAdminInvoiceApi();
        app.MapPeriodStandingApi();
        app.MapBankTransferApi();
        app.MapCreditNoteApi();
        app.MapRevenueApi();
        app.MapBillingSchedulerApi();
        app.MapGitHubWebhookApi();
        app.MapPricePlanApi();
        app.MapShopTermsApi();
        app.MapAlertsApi();
        app.MapEmailApi();
        app.MapAnalyticsApi();
        app.MapTestClockApi();
        if (app.HostsSilo())
        {
            // The Orleans dashboard reads each silo's counters through a grain service on it: silos only;
            // the operator console shares its login.
            app.MapDashboardApi();
            app.MapOperatorConsole();
        }

        return app;
    }
}
