using Billing.Silo.Hosting;
using Billing.Silo.Alerts;
using Billing.Silo.Api;
using Billing.Silo.Auth;
using Billing.Silo.Api.Metering;
using Billing.Silo.Invoicing;
using Billing.Silo.Catalog;
using Billing.Silo.Dashboard;
using Billing.Silo.OperatorConsole;
using Billing.Silo.Email;
using Billing.Silo.Grains;
using Billing.Silo.Metering;
using Billing.Silo.Notifications;
using Billing.Silo.Payments;
using Billing.Silo.Privacy;
using Billing.Silo.Storage.Sql;
using Billing.Silo.Telemetry;
using Billing.Silo.TestClocks;
using Microsoft.Extensions.Options;
using Billing.Silo.Security;

namespace Billing.Silo.Hosting;

/// <summary>Wiring of the silo host, kept out of Program.cs.</summary>
public static class SiloHostingExtensions
{
    /// <summary>The log category of Polly's resilience telemetry.</summary>
    public const string PollyLogCategory = "Polly";

    /// <summary>
    /// The HTTP API and, per <c>Billing:Cluster:Role</c>, either the Orleans silo with everything
    /// that runs beside its grains, or (<c>front-door</c>) only an Orleans client to the silos.
    /// Any host builder: the TestingHost cluster builds plain hosts (no web server) with this same wiring.
    /// </summary>
    public static TBuilder AddBillingSilo<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // Orleans' AdoNet providers run each membership, reminder and grain-state call through a
        // Polly pipeline whose telemetry logs two Information lines per call, results included:
        // 200,000 lines for 100,000 reminder registrations at a month end. Failures still log.
        builder.Logging.AddFilter(PollyLogCategory, LogLevel.Warning);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemCodes.AddStableCode);
        builder.Services.AddExceptionHandler<RuntimeExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            JsonContract.Apply(o.SerializerOptions);
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, MeteringJsonContext.Default);
        });
        builder.AddBillingTelemetry();
        var cluster = builder.AddClusterOptions();
        if (cluster.IsFrontDoor)
        {
            AddFrontDoorRuntime(builder, cluster);
        }
        else
        {
            AddSiloRuntime(builder, cluster);
        }

        // What the HTTP API needs in either role: the stores it reads and writes directly, and
        // billing runs, which close shops through the shop grains wherever those live.
        builder.Services.AddCatalog();
        builder.Services.AddTestClocks(builder.Configuration);
        builder.Services.AddPrivacy();
        builder.Services.AddAuth(builder.Configuration);
        builder.Services.AddOperatorSecurity();
        builder.Services.AddBilling(builder.Configuration);
        builder.Services.AddNotifications(builder.Configuration);
        builder.Services.AddPayments(builder.Configuration);
        builder.Services.AddEmail(builder.Configuration);
        builder.Services.AddBillingGrains();
        builder.Services.AddSingleton<BackdateWindow>();
        builder.Services.AddHealthProbes();
        builder.Services.AddTrustedProxies(builder.Configuration);
        return builder;
    }

    private static void AddSiloRuntime(IHostApplicationBuilder builder, SiloClusterOptions cluster)
    {
        // The silo deactivates its grains and hands its work over, then the journal flushes;
        // deploy/ gives the process 45 s before it is killed.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(40));
        // Hosted services start in this order and stop in reverse: the schema before the journal,
        // the journal before the silo; on stop the grains make their last appends before the journal's last flush.
        builder.Services.AddBillingStorage(builder.Configuration);
        builder.Services.AddMeteringJournal(builder.Configuration);
        builder.Services.AddAlerts(builder.Configuration);
        builder.AddBillingCluster(cluster);
        builder.Services.AddReminderCloseQueue();
        builder.Services.AddPaymentSweeper();
        builder.Services.AddEmailSender();
        builder.Services.AddDashboardLogin(builder.Configuration);
        builder.Services.AddOperatorConsole(builder.Configuration);
    }

    /// <summary>
    /// No grains here, so none of what serves them: no usage journal, alert writer or cost monitor,
    /// reminders or dashboard. The schema is the silos' to migrate; the front door waits for it.
    /// </summary>
    private static void AddFrontDoorRuntime(IHostApplicationBuilder builder, SiloClusterOptions cluster)
    {
        var startWait = TimeSpan.FromSeconds(cluster.FrontDoorStartWaitSeconds);
        builder.Services.AddBillingStorage(builder.Configuration, SchemaDuty.AwaitMigrated(startWait));
        builder.Services.AddMeteringReads();
        builder.Services.AddAlertStore(builder.Configuration);
        builder.AddBillingFrontDoorClient(cluster);
    }

    /// <summary>Whether this process hosts a silo (and so the endpoints that only a silo can serve, such as the dashboard).</summary>
    public static bool HostsSilo(this WebApplication app) =>
        !app.Services.GetRequiredService<IOptions<SiloClusterOptions>>().Value.IsFrontDoor;

    public static WebApplication UseBillingProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// Opens and migrates the database (a front door: waits until the silos have) before serving, and turns a bad configuration or an
    /// unreachable database into one clear line on stderr and exit code 1, not a stack trace.
    /// </summary>
    public static async Task<int> RunSiloAsync(this WebApplication app)
    {
        try
        {
            // Every validated option, before anything starts: the host's own check would only throw a stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
            await app.Services.GetRequiredService<StorageInitializer>().EnsureInitializedAsync();
        }
        catch (StorageUnavailableException error)
        {
            await Console.Error.WriteLineAsync($"billing-silo: {error.Message}");
            return 1;
        }
        catch (Exception error) when (ValidationFailures(error) is { Count: > 0 } failures)
        {
            await Console.Error.WriteLineAsync($"billing-silo: invalid configuration: {string.Join(" ", failures)}");
            return 1;
        }

        try
        {
            await app.StartAsync();
        }
        catch (OrleansException error) when (!app.HostsSilo())
        {
            // The front door's client found no gateway within Billing:Cluster:FrontDoorStartWaitSeconds.
            await Console.Error.WriteLineAsync($"billing-silo: front door: no silo gateway reachable: {error.Message}");
            await app.DisposeAsync();
            return 1;
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>The start-up validator reports several invalid sections as an AggregateException of them.</summary>
    private static List<string> ValidationFailures(Exception error) => error switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. all.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)],
        _ => [],
    };
}
