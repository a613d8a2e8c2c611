using Billing.Domain;
using Billing.Silo.Api;
using Billing.Silo.Api.Invoicing;
using Billing.Silo.Invoicing;
using Microsoft.AspNetCore.Antiforgery;

namespace Billing.Silo.OperatorConsole;

/// <summary>
/// Paying and waiving an invoice from the invoice list, through <see cref="PeriodStandings"/> as
/// <c>POST /api/v1/admin/invoices/{id}/pay</c> and <c>…/waive</c> do, checked by the same rules.
/// </summary>
internal static class ConsoleInvoiceActions
{
    public const string ReferenceField = PaymentRequest.ReferenceField;
    public const string ReasonField = PeriodStanding.WaiveReasonField;
    public const string BackField = "back";

    public static RouteGroupBuilder MapConsoleInvoiceActions(this RouteGroupBuilder console)
    {
        console.MapPost("/invoices/{id}/pay", PayAsync).WithName("ConsolePayInvoice");
        console.MapPost("/invoices/{id}/waive", WaiveAsync).WithName("ConsoleWaiveInvoice");
        return console;
    }

    private static async Task<IResult> PayAsync(string id, HttpContext http, IAntiforgery antiforgery, PeriodStandings standings, CancellationToken cancellationToken)
    {
        if (await ConsoleForms.ReadAsync(http, antiforgery, cancellationToken) is not { } form)
        {
            return ConsoleForms.Expired();
        }

        var reference = form[ReferenceField] is [{ Length: > 0 } text] ? text.Trim() : null;
        var (_, errors) = new PaymentRequest(null, reference).Validate(standings.Now);
        return errors.Count > 0
            ? Refused(ApiProblem.Detail(errors))
            : await ChangeAsync(id, http, form, () => standings.PayAsync(id, null, reference, cancellationToken));
    }

    private static async Task<IResult> WaiveAsync(string id, HttpContext http, IAntiforgery antiforgery, PeriodStandings standings, CancellationToken cancellationToken)
    {
        if (await ConsoleForms.ReadAsync(http, antiforgery, cancellationToken) is not { } form)
        {
            return ConsoleForms.Expired();
        }

        var reason = form[ReasonField] is [{ } text] ? text : null;
        var errors = PeriodStanding.ValidateWaiveReason(reason);
        return errors.Count > 0
            ? Refused(ApiProblem.Detail(errors))
            : await ChangeAsync(id, http, form, () => standings.WaiveAsync(id, reason!, cancellationToken));
    }

    private static async Task<IResult> ChangeAsync(string id, HttpContext http, IFormCollection form, Func<Task<StandingChange?>> change)
    {
        if (!CatalogIds.IsWellFormed(id, CatalogIds.Invoice))
        {
            return ConsoleApi.NotFound("invoice", id);
        }

        try
        {
            return await change() is null ? ConsoleApi.NotFound("invoice", id) : ConsoleForms.SeeOther(http, Back(form));
        }
        catch (InvalidPeriodTransitionException invalid)
        {
            return ConsoleApi.Message(StatusCodes.Status409Conflict, "Not done", invalid.Message);
        }
    }

    private static IResult Refused(string detail) => ConsoleApi.Message(StatusCodes.Status400BadRequest, "Not done", detail);

    /// <summary>The invoice list the form was on; only a list of the console's own, never another site.</summary>
    private static string Back(IFormCollection form) =>
        form[BackField] is [{ } back] && back.StartsWith("/invoices", StringComparison.Ordinal) && !back.Contains("//", StringComparison.Ordinal) && !back.Contains('\\')
            ? back
            : "/invoices";
}
