using Billing.Contracts.Runs;
using Billing.Domain;
using Billing.Silo.Alerts;
using Billing.Silo.Api;
using Billing.Silo.Api.Invoicing;
using Billing.Silo.Invoicing;
using Billing.Silo.Invoicing.Runs;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Billing.Silo.OperatorConsole;

public sealed record RunsModel(
    IReadOnlyList<RunResponse> Runs, IReadOnlyList<DeadLetterResponse> DeadLetters, string DefaultPeriod, AntiforgeryTokenSet Antiforgery, string? Problem);

public sealed record RunModel(RunResponse Run);

public sealed record AlertsModel(IReadOnlyList<AlertResponse> Alerts);

public sealed record PricePlansModel(IReadOnlyList<PricePlanResponse> Plans, string? NextAfter);

/// <summary>Billing runs (recent ones, dead letters, a form that starts one as the scheduler API does), alerts and price plans.</summary>
internal static class ConsoleOperationPages
{
    public const string PeriodField = "period";
    public const string DryRunField = "dry_run";
    public const int DeadLettersShown = 20;
    public const int AlertsShown = 100;
    public const int PricePlansPerPage = 50;

    public static RouteGroupBuilder MapConsoleOperations(this RouteGroupBuilder console)
    {
        console.MapGet("/runs", (HttpContext http, BillingRunStore store, IAntiforgery antiforgery, IOptions<BillingOptions> billing, TimeProvider time, CancellationToken ct) =>
            RunsAsync(http, store, antiforgery, billing.Value, time, problem: null, ct)).WithName("ConsoleRuns");
        console.MapPost("/runs", StartRunAsync).WithName("ConsoleStartRun");
        console.MapGet("/runs/{id}", RunAsync).WithName("ConsoleRun");
        console.MapGet("/alerts", AlertsAsync).WithName("ConsoleAlerts");
        console.MapGet("/price-plans", PricePlansAsync).WithName("ConsolePricePlans");
        return console;
    }

    private static async Task<IResult> RunsAsync(
        HttpContext http, BillingRunStore store, IAntiforgery antiforgery, BillingOptions billing, TimeProvider time, string? problem, CancellationToken cancellationToken)
    {
        var runs = await store.RecentAsync(BillingSchedulerApi.StatusRunsShown, cancellationToken);
        var deadLetters = await store.DeadLettersAsync(DeadLettersShown, cancellationToken);
        var period = BillingSchedulerApi.ParsePeriod([], null, billing, time)!.Value;
        return ConsoleApi.Page<RunsPage>(new RunsModel(
            [.. runs.Select(r => BillingRunResponses.From(r, withResults: false))], deadLetters, MonthRange.Text(period), antiforgery.GetAndStoreTokens(http), problem));
    }

    /// <summary>The form's month and dry-run box, checked as <c>POST /api/billing-scheduler/process-monthly-billing</c> checks them; 303 to the run.</summary>
    private static async Task<IResult> StartRunAsync(
        HttpContext http, BillingRunner runner, BillingRunStore store, IAntiforgery antiforgery, IOptions<BillingOptions> billing, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ConsoleForms.ReadAsync(http, antiforgery, cancellationToken) is not { } form)
        {
            return ConsoleForms.Expired();
        }

        var errors = new List<FieldError>();
        var period = BillingSchedulerApi.ParsePeriod(errors, form[PeriodField] is [{ Length: > 0 } text] ? text : null, billing.Value, time);
        if (errors.Count > 0)
        {
            return await RunsAsync(http, store, antiforgery, billing.Value, time, ApiProblem.Detail(errors), cancellationToken);
        }

        var dryRun = form[DryRunField] is ["on" or "true"];
        BillingRun run;
        try
        {
            run = runner.Start(new RunRequest(null, period!.Value, dryRun, RunTrigger.Api));
        }
        catch (RunLimitReachedException limit)
        {
            return await RunsAsync(http, store, antiforgery, billing.Value, time, limit.Message, cancellationToken);
        }

        return ConsoleForms.SeeOther(http, $"/runs/{run.Id}");
    }

    private static async Task<IResult> RunAsync(string id, BillingRunner runner, CancellationToken cancellationToken) =>
        await runner.FindAsync(id, cancellationToken) is { } run
            ? ConsoleApi.Page<RunPage>(new RunModel(BillingRunResponses.From(run, withResults: false)))
            : ConsoleApi.NotFound("billing run", id);

    private static async Task<IResult> AlertsAsync(AlertStore store, CancellationToken cancellationToken) =>
        ConsoleApi.Page<AlertsPage>(new AlertsModel([.. (await store.ListAsync(new AlertQuery(null, null, AlertsShown), cancellationToken)).Select(AlertResponse.From)]));

    private static async Task<IResult> PricePlansAsync(string? after, PricePlanStore store, CancellationToken cancellationToken)
    {
        var valid = after is null || CatalogIds.IsWellFormed(after, CatalogIds.PricePlan);
        var plans = await store.ListAsync(valid ? after : null, PricePlansPerPage, cancellationToken);
        return ConsoleApi.Page<PricePlansPage>(new PricePlansModel(
            [.. plans.Select(p => PricePlanResponse.From(PricePlanStore.ToDomain(p)))], plans.Count == PricePlansPerPage ? plans[^1].Id : null));
    }
}
