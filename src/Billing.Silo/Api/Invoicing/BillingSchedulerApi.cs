using Billing.Contracts.Runs;
using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Invoicing;
using Billing.Silo.Invoicing.Runs;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace Billing.Silo.Api.Invoicing;

/// <summary>
/// Seed 002's billing scheduler under <c>/api/billing-scheduler</c>, behind the admin key: run
/// billing for every shop or some, for a month (default the previous one), for real or dry; follow
/// a run; see recent runs, dead letters and health.
/// </summary>
public static class BillingSchedulerApi
{
    public const int StatusRunsShown = 20;
    public const int StatusDeadLettersShown = 100;

    public static IEndpointRouteBuilder MapBillingSchedulerApi(this IEndpointRouteBuilder routes)
    {
        var scheduler = routes.MapGroup("/api/billing-scheduler").RequireAdminKey();
        scheduler.MapPost("/process-monthly-billing", ProcessMonthlyAsync).WithName("ProcessMonthlyBilling")
            .AcceptsOptionalJson<ProcessMonthlyBillingRequest>().Produces<RunResponse>().Produces<RunStartedResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status400BadRequest, "invalid_billing_request").ProducesProblems(StatusCodes.Status429TooManyRequests, "run_limit_reached");
        scheduler.MapPost("/process-shop-billing/{shopId}", ProcessShopAsync).WithName("ProcessShopBilling")
            .AcceptsOptionalJson<ProcessShopBillingRequest>().Produces<RunResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, "invalid_billing_request").ProducesProblems(StatusCodes.Status404NotFound, "shop_not_found").ProducesProblems(StatusCodes.Status429TooManyRequests, "run_limit_reached");
        scheduler.MapGet("/runs/{runId}", GetRunAsync).WithName("GetBillingRun")
            .Produces<RunResponse>().ProducesProblems(StatusCodes.Status404NotFound, "run_not_found");
        scheduler.MapGet("/status", GetStatusAsync).WithName("GetBillingStatus")
            .Produces<SchedulerStatusResponse>();
        scheduler.MapGet("/health", GetHealthAsync).WithName("GetBillingHealth")
            .Produces<SchedulerHealthResponse>();
        return routes;
    }

    private static async Task<IResult> ProcessMonthlyAsync(
        HttpRequest request, BillingRunner runner, IOptions<BillingRunOptions> runOptions, IOptions<BillingOptions> billing, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadOptionalAsync(request, new ProcessMonthlyBillingRequest(null, null, null, null), cancellationToken, maxBytes: 1024 * 1024);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<FieldError>();
        var period = ParsePeriod(errors, body!.Period, billing.Value, time);
        var shopIds = CheckShopIds(errors, body.ShopIds, runOptions.Value.MaxShopIdsPerRequest);
        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_billing_request", "The billing request is invalid", errors);
        }

        return await StartAsync(runner, new RunRequest(shopIds, period!.Value, body.DryRun ?? false, RunTrigger.Api), body.Wait ?? true, cancellationToken);
    }

    private static async Task<IResult> ProcessShopAsync(
        string shopId, HttpRequest request, BillingRunner runner, ShopTermsReader terms, IOptions<BillingOptions> billing, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadOptionalAsync(request, new ProcessShopBillingRequest(null, null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<FieldError>();
        var period = ParsePeriod(errors, body!.Period, billing.Value, time);
        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_billing_request", "The billing request is invalid", errors);
        }

        if (await terms.GetAsync(shopId, cancellationToken) is null)
        {
            return ApiProblem.NotFound("shop_not_found", "shop", shopId);
        }

        return await StartAsync(runner, new RunRequest([shopId], period!.Value, body.DryRun ?? false, RunTrigger.Api), wait: true, cancellationToken);
    }

    internal static async Task<IResult> StartAsync(BillingRunner runner, RunRequest request, bool wait, CancellationToken cancellationToken)
    {
        BillingRun run;
        try
        {
            run = runner.Start(request);
        }
        catch (RunLimitReachedException limit)
        {
            return ApiProblem.Create(StatusCodes.Status429TooManyRequests, "run_limit_reached", "Too many billing runs", limit.Message);
        }

        if (!wait)
        {
            var url = $"/api/billing-scheduler/runs/{run.Id}";
            return Results.Accepted(url, new RunStartedResponse(run.Id, RunResponse.Running, url));
        }

        // The run goes on if this caller disconnects; its result stays available under runs/{id}.
        await run.Completion.Task.WaitAsync(cancellationToken);
        return Results.Ok(BillingRunResponses.From(run.Snapshot(withResults: true), withResults: true));
    }

    private static async Task<IResult> GetRunAsync(string runId, BillingRunner runner, CancellationToken cancellationToken) =>
        await runner.FindAsync(runId, cancellationToken) is { } run
            ? Results.Ok(BillingRunResponses.From(run, withResults: true))
            : ApiProblem.NotFound("run_not_found", "billing run", runId);

    private static async Task<IResult> GetStatusAsync(BillingRunStore store, CancellationToken cancellationToken)
    {
        var runs = await store.RecentAsync(StatusRunsShown, cancellationToken);
        var deadLetters = await store.DeadLettersAsync(StatusDeadLettersShown, cancellationToken);
        return Results.Ok(new SchedulerStatusResponse(
            [.. runs.Select(r => BillingRunResponses.From(r, withResults: false))],
            deadLetters,
            await store.CountAsync("SELECT COUNT(*) FROM billing_dead_letters", cancellationToken),
            await store.CountAsync("SELECT COUNT(*) FROM billing_periods WHERE is_current = TRUE", cancellationToken),
            await store.CountAsync("SELECT COUNT(*) FROM invoices", cancellationToken)));
    }

    /// <summary>Healthy unless the last run failed or shops wait in the dead-letter list; 503 only when storage is down.</summary>
    private static async Task<IResult> GetHealthAsync(BillingRunStore store, CancellationToken cancellationToken)
    {
        var last = (await store.RecentAsync(1, cancellationToken)).FirstOrDefault();
        var deadLetters = await store.CountAsync("SELECT COUNT(*) FROM billing_dead_letters", cancellationToken);
        var degraded = deadLetters > 0 || last?.Status == RunStatus.Failed;
        return Results.Ok(new SchedulerHealthResponse(
            degraded ? "degraded" : "healthy", last?.StartedAt, last is null ? null : BillingRunResponses.Snake(last.Status.ToString()), deadLetters));
    }

    /// <summary>"2025-06"; absent, the month before the current one in the issuer's zone. A month not yet begun is refused.</summary>
    internal static YearMonth? ParsePeriod(List<FieldError> errors, string? text, BillingOptions billing, TimeProvider time)
    {
        var zone = DateTimeZoneProviders.Tzdb[billing.IssuerTimeZone];
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        var current = new YearMonth(today.Year, today.Month);
        if (text is null)
        {
            return current.PlusMonths(-1);
        }

        var parsed = YearMonthPattern.Iso.Parse(text.Trim());
        if (!parsed.Success || parsed.Value.Year is < 2000 or > 2999)
        {
            errors.Add(new FieldError("period", $"period must be a month like 2025-06 (got '{Shorten(text)}')"));
            return null;
        }

        if (parsed.Value > current)
        {
            errors.Add(new FieldError("period", $"period {text.Trim()} has not begun yet"));
            return null;
        }

        return parsed.Value;
    }

    internal static IReadOnlyList<string>? CheckShopIds(List<FieldError> errors, IReadOnlyList<string>? shopIds, int max)
    {
        if (shopIds is null)
        {
            return null;
        }

        if (shopIds.Count is 0 || shopIds.Count > max)
        {
            errors.Add(new FieldError("shop_ids", $"shop_ids must list 1..{max} shops, or be left out to bill every shop"));
            return null;
        }

        var malformed = shopIds.Where(id => !CatalogIds.IsWellFormed(id, CatalogIds.Shop)).Take(5).ToList();
        if (malformed.Count > 0)
        {
            errors.Add(new FieldError("shop_ids", $"shop_ids holds ids that are not shop ids: {string.Join(", ", malformed.Select(id => $"'{Shorten(id ?? "null")}'"))}"));
            return null;
        }

        return [.. shopIds.Distinct(StringComparer.Ordinal)];
    }

    private static string Shorten(string text) => text.Length > 32 ? text[..32] + "…" : text;
}
