using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;
using Billing.Silo.Invoicing;

namespace Billing.Silo.Api.Invoicing;

/// <summary>
/// Where billing periods stand (seed 000: pending, paid, overdue, waived, with days overdue): the
/// operator lists any shop's periods and records payments and waivers (admin key); a shop lists
/// its own (API key). Paying or waiving the same way again answers 200 with the stored result
/// (<c>Idempotent-Replayed: true</c>); anything the domain does not allow is 409.
/// </summary>
public static class PeriodStandingApi
{
    public const int DefaultPeriodsListed = 24;
    public const int MaxPeriodsListed = 120;

    private static readonly string LimitDescription = $"How many periods, newest first: 1..{MaxPeriodsListed} (default {DefaultPeriodsListed}).";

    public static IEndpointRouteBuilder MapPeriodStandingApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAdminKey();
        admin.MapGet("/shops/{id}/periods", AdminListAsync).WithName("AdminListPeriods")
            .ReadsQuery(ListLimit.Field, LimitDescription)
            .Produces<PeriodListResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_limit").ProducesProblems(StatusCodes.Status404NotFound, "shop_not_found");
        admin.MapPost("/invoices/{id}/pay", PayAsync).WithName("PayInvoice")
            .AcceptsOptionalJson<PaymentRequest>().Produces<PeriodResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_payment")
            .ProducesProblems(StatusCodes.Status404NotFound, "invoice_not_found").ProducesProblems(StatusCodes.Status409Conflict, "invalid_period_transition");
        admin.MapPost("/invoices/{id}/waive", WaiveAsync).WithName("WaiveInvoice")
            .AcceptsJson<WaiverRequest>().Produces<PeriodResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_waiver")
            .ProducesProblems(StatusCodes.Status404NotFound, "invoice_not_found").ProducesProblems(StatusCodes.Status409Conflict, "invalid_period_transition");
        routes.MapGroup("/api/v1/billing").RequireApiKey().MapGet("/periods", CustomerListAsync).WithName("ListPeriods")
            .ReadsQuery(ListLimit.Field, LimitDescription)
            .Produces<PeriodListResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_limit");
        return routes;
    }

    private static async Task<IResult> AdminListAsync(string id, HttpRequest request, CatalogStore catalog, PeriodStandings standings, CancellationToken cancellationToken)
    {
        if (await catalog.GetShopAsync(id, cancellationToken) is null)
        {
            return ApiProblem.NotFound("shop_not_found", "shop", id);
        }

        return await ListPeriodsAsync(id, request, standings, cancellationToken);
    }

    private static Task<IResult> CustomerListAsync(HttpContext context, PeriodStandings standings, CancellationToken cancellationToken) =>
        ListPeriodsAsync(context.GetApiKeyPrincipal().ShopId, context.Request, standings, cancellationToken);

    private static async Task<IResult> ListPeriodsAsync(string shopId, HttpRequest request, PeriodStandings standings, CancellationToken cancellationToken)
    {
        // Unlike the other lists, a bare ?limit= has always meant the default here.
        var text = request.Query[ListLimit.Field].ToString();
        if (!ListLimit.TryParse(text.Length > 0 ? text : null, DefaultPeriodsListed, MaxPeriodsListed, out var limit, out var limitError))
        {
            return ApiProblem.Invalid("invalid_limit", "Invalid limit", [limitError]);
        }

        var periods = await standings.ShopPeriodsAsync(shopId, limit, cancellationToken);
        return Results.Ok(new PeriodListResponse([.. periods.Select(PeriodResponse.From)]));
    }

    private static async Task<IResult> PayAsync(string id, HttpRequest request, PeriodStandings standings, CancellationToken cancellationToken)
    {
        // No body pays now without a reference.
        var (body, problem) = await JsonBody.ReadOptionalAsync(request, new PaymentRequest(null, null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (paidAt, errors) = body!.Validate(standings.Now);
        return errors.Count > 0
            ? ApiProblem.Invalid("invalid_payment", "The payment is invalid", errors)
            : await ChangeAsync(id, request.HttpContext, () => standings.PayAsync(id, paidAt, body.Reference?.Trim(), cancellationToken));
    }

    private static async Task<IResult> WaiveAsync(string id, HttpRequest request, PeriodStandings standings, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<WaiverRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = PeriodStanding.ValidateWaiveReason(body!.Reason);
        return errors.Count > 0
            ? ApiProblem.Invalid("invalid_waiver", "The waiver is invalid", errors)
            : await ChangeAsync(id, request.HttpContext, () => standings.WaiveAsync(id, body.Reason!, cancellationToken));
    }

    private static async Task<IResult> ChangeAsync(string invoiceId, HttpContext context, Func<Task<StandingChange?>> change)
    {
        try
        {
            if (await change() is not { } done)
            {
                return ApiProblem.NotFound("invoice_not_found", "invoice", invoiceId);
            }

            if (done.Replayed)
            {
                context.Response.Headers["Idempotent-Replayed"] = "true";
            }

            return Results.Ok(PeriodResponse.From(done.Period));
        }
        catch (InvalidPeriodTransitionException invalid)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, "invalid_period_transition", "Invalid period transition", invalid.Message);
        }
    }
}
