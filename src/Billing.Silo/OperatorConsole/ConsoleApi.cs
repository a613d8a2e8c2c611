using Billing.Domain;
using Billing.Silo.Alerts;
using Billing.Silo.Analytics;
using Billing.Silo.Api;
using Billing.Silo.Api.Invoicing;
using Billing.Silo.Dashboard;
using Billing.Silo.Invoicing.Runs;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Billing.Silo.OperatorConsole;

/// <summary>
/// The operator console under <c>/console</c>: server-rendered pages (Razor components, no script)
/// behind the admin key, logged in like the dashboard. Every figure comes from the services the
/// admin API answers with, every list is a bounded page.
/// </summary>
public static class ConsoleApi
{
    /// <summary>No script at all, styles only from this silo, forms post only here, never framed.</summary>
    public const string SecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Recent alerts on the overview; the alerts page lists more.</summary>
    public const int OverviewAlerts = 5;

    private static readonly Duration AlertsWindow = Duration.FromDays(7);

    public static IEndpointRouteBuilder MapOperatorConsole(this IEndpointRouteBuilder routes)
    {
        routes.MapAdminLogin(ConsolePaths.Area, "Console");
        // Pages for people, not the API: left out of /openapi/v1.json (its login is in, as the dashboard's).
        var console = routes.MapGroup(ConsolePaths.Root).ExcludeFromDescription().RequireAdminSession(ConsolePaths.Area).AddEndpointFilter(static (context, next) =>
        {
            SetSecurityHeaders(context.HttpContext.Response.Headers);
            return next(context);
        });
        console.MapGet("/", OverviewAsync).WithName("ConsoleOverview");
        console.MapGet("/console.css", () => Results.Text(ConsoleStyles.Css, "text/css; charset=utf-8")).WithName("ConsoleStyles");
        console.MapConsoleCustomers();
        console.MapConsoleInvoices();
        console.MapConsoleOperations();
        return routes;
    }

    // nosniff, X-Frame-Options and Referrer-Policy come from SecurityHeaders, on every answer.
    private static void SetSecurityHeaders(IHeaderDictionary headers)
    {
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = SecurityPolicy;
    }

    /// <summary>A page: the component <typeparamref name="TPage"/> given its model.</summary>
    internal static RazorComponentResult<TPage> Page<TPage>(object model)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new(new Dictionary<string, object?> { ["Model"] = model });

    /// <summary>404 as a console page: the operator followed a link to something that is not there.</summary>
    internal static IResult NotFound(string noun, string id) => Message(StatusCodes.Status404NotFound, "Not found", $"There is no {noun} {id}.");

    /// <summary>A page that says why nothing was done (a refused form), with its status code.</summary>
    internal static IResult Message(int statusCode, string title, string message) =>
        new RazorComponentResult<MessagePage>(new Dictionary<string, object?> { ["Model"] = message, ["Title"] = title }) { StatusCode = statusCode };

    private static async Task<IResult> OverviewAsync(
        ConsoleFiguresCache figures, ConsoleQueries queries, AlertStore alerts, BillingRunStore runs, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var today = now.InUtc().Date;
        var analytics = await figures.GetAsync(new YearMonth(today.Year, today.Month), cancellationToken);
        var mrrByMonth = MrrResponse.Of(analytics.Mrr);
        var revenueByMonth = RevenueResponse.Of(analytics.RevenueMonths, analytics.Revenue);
        var recentAlerts = await alerts.ListAsync(new AlertQuery(null, now - AlertsWindow, OverviewAlerts), cancellationToken);
        var lastRun = (await runs.RecentAsync(1, cancellationToken)).FirstOrDefault();
        return Page<OverviewPage>(new OverviewModel(
            revenueByMonth, mrrByMonth, await queries.OverdueAsync(cancellationToken), [.. recentAlerts.Select(AlertResponse.From)], (int)AlertsWindow.TotalDays,
            lastRun is null ? null : BillingRunResponses.From(lastRun, withResults: false)));
    }
}

public sealed record OverviewModel(
    RevenueResponse Revenue, MrrResponse MrrByMonth, IReadOnlyList<OverdueTotal> Overdue, IReadOnlyList<AlertResponse> RecentAlerts, int AlertDays, Billing.Contracts.Runs.RunResponse? LastRun)
{
    public MrrMonthResponse Mrr => MrrByMonth.Months[^1];

    /// <summary>A currency's MRR month by month (0 where it had none), for the chart.</summary>
    public IReadOnlyList<(string Month, MrrCurrencyResponse? Figures)> MrrOf(string currency) =>
        [.. MrrByMonth.Months.Select(m => (m.Month, m.Currencies.FirstOrDefault(c => c.Currency == currency)))];
}
