using System.Globalization;
using System.Text;
using Billing.Contracts.Metering;
using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Api.Docs;
using Billing.Silo.Api.Metering;
using Billing.Silo.Auth;
using Billing.Silo.Invoicing;
using Billing.Silo.Payments;

namespace Billing.Silo.Api.Invoicing;

/// <summary>
/// Refunds and credit notes (admin key). Refunding a paid invoice issues a numbered credit note and
/// gives the money back through the provider that took it (or records a refund by hand for a
/// transfer); an <c>Idempotency-Key</c> makes the request safe to retry: the same key and body
/// answer 200 with the note it issued (<c>Idempotent-Replayed: true</c>), and finish a refund a
/// crash or an outage left pending.
/// </summary>
public static class CreditNoteApi
{
    public static IEndpointRouteBuilder MapCreditNoteApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAdminKey();
        admin.MapPost("/invoices/{id}/refunds", RefundAsync).WithName("RefundInvoice")
            .ReadsIdempotencyKey()
            .AcceptsJson<RefundRequest>().Produces<CreditNoteResponse>(StatusCodes.Status201Created).Produces<CreditNoteResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_refund").ProducesProblems(StatusCodes.Status404NotFound, "invoice_not_found")
            .ProducesProblems(StatusCodes.Status409Conflict, "refund_provider_unavailable", "invoice_not_paid", "refund_exceeds_invoice_total").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused").ProducesProblems(StatusCodes.Status502BadGateway, "payment_provider_unavailable");
        admin.MapGet("/invoices/{id}/credit-notes", (string id, InvoiceBook invoices, CreditNoteBook notes, CancellationToken ct) =>
            ListAsync(id, shopId: null, invoices, notes, ct)).WithName("ListCreditNotes")
                .Produces<CreditNoteListResponse>().ProducesProblems(StatusCodes.Status404NotFound, "invoice_not_found");
        admin.MapGet("/credit-notes/{id}", (string id, CreditNoteBook notes, CancellationToken ct) => GetAsync(id, shopId: null, notes, ct)).WithName("GetCreditNote")
            .Produces<CreditNoteResponse>().ProducesProblems(StatusCodes.Status404NotFound, "credit_note_not_found");
        admin.MapGet("/credit-notes/{id}/html", (string id, CreditNoteBook notes, CancellationToken ct) =>
            GetHtmlAsync(id, shopId: null, notes, ct)).WithName("GetCreditNoteHtml")
                .Produces<string>(StatusCodes.Status200OK, "text/html").ProducesProblems(StatusCodes.Status404NotFound, "credit_note_not_found");

        // The customer's own (the API key's shop): another shop's invoice or note is answered 404.
        var customer = routes.MapGroup("/api/v1/billing").RequireApiKey();
        customer.MapGet("/invoices/{id}/credit-notes", (string id, HttpContext http, InvoiceBook invoices, CreditNoteBook notes, CancellationToken ct) =>
            ListAsync(id, http.GetApiKeyPrincipal().ShopId, invoices, notes, ct)).WithName("ListOwnCreditNotes")
                .Produces<CreditNoteListResponse>().ProducesProblems(StatusCodes.Status404NotFound, "invoice_not_found");
        customer.MapGet("/credit-notes/{id}", (string id, HttpContext http, CreditNoteBook notes, CancellationToken ct) =>
            GetAsync(id, http.GetApiKeyPrincipal().ShopId, notes, ct)).WithName("GetOwnCreditNote")
                .Produces<CreditNoteResponse>().ProducesProblems(StatusCodes.Status404NotFound, "credit_note_not_found");
        customer.MapGet("/credit-notes/{id}/html", (string id, HttpContext http, CreditNoteBook notes, CancellationToken ct) =>
            GetHtmlAsync(id, http.GetApiKeyPrincipal().ShopId, notes, ct)).WithName("GetOwnCreditNoteHtml")
                .Produces<string>(StatusCodes.Status200OK, "text/html").ProducesProblems(StatusCodes.Status404NotFound, "credit_note_not_found");
        return routes;
    }

    private static async Task<IResult> RefundAsync(string id, HttpContext http, InvoiceRefunds refunds, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<RefundRequest>(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = body!.Validate();
        var idempotencyKey = MeteringApi.IdempotencyKeyOf(http.Request);
        if (ConsumeRequest.ValidateIdempotencyKey(idempotencyKey) is { } keyError)
        {
            errors.Add(new FieldError("idempotency_key", keyError));
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_refund", "Invalid refund", errors);
        }

        if (!CatalogIds.IsWellFormed(id, CatalogIds.Invoice))
        {
            return ApiProblem.NotFound("invoice_not_found", "invoice", id);
        }

        try
        {
            var result = await refunds.RefundAsync(id, body.Amount, body.Reason!.Trim(), idempotencyKey, body.Hash(), cancellationToken);
            return Answer(http, id, result);
        }
        catch (RefundProviderUnavailableException unavailable)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, "refund_provider_unavailable", "Refund provider unavailable", unavailable.Message);
        }
    }

    private static IResult Answer(HttpContext http, string invoiceId, CreditNoteResult result)
    {
        var left = result.Refundable is { } refundable ? refundable.Amount.ToString(CultureInfo.InvariantCulture) + " " + refundable.Currency.Code : "nothing";
        switch (result.Outcome)
        {
            case CreditNoteOutcome.Issued:
                return Results.Created($"/api/v1/admin/credit-notes/{result.Note!.Document.Id}", CreditNoteResponse.From(result.Note));
            case CreditNoteOutcome.Replayed:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return Results.Ok(CreditNoteResponse.From(result.Note!));
            case CreditNoteOutcome.IdempotencyKeyReused:
                return ApiProblem.Create(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "Idempotency key reused",
                    $"This Idempotency-Key issued credit note {result.Note!.Document.Number} for a different refund.");
            case CreditNoteOutcome.InvoiceNotFound:
                return ApiProblem.NotFound("invoice_not_found", "invoice", invoiceId);
            case CreditNoteOutcome.InvoiceNotPaid:
                return ApiProblem.Create(StatusCodes.Status409Conflict, "invoice_not_paid", "Invoice not paid", $"Invoice {invoiceId} is not paid; only a paid invoice is refunded.");
            case CreditNoteOutcome.InvalidAmount:
                return ApiProblem.Invalid("invalid_refund", "Invalid refund", [new FieldError("amount", "amount must be in whole minor units of the invoice's currency")]);
            case CreditNoteOutcome.ExceedsInvoiceTotal:
                return ApiProblem.Create(StatusCodes.Status409Conflict, "refund_exceeds_invoice_total", "Refund exceeds the invoice's total",
                    $"The credit notes of invoice {invoiceId} would credit more than its total; {left} is left to refund.",
                    new Dictionary<string, object?> { ["refundable"] = result.Refundable?.Amount });
            default:
                throw new InvariantViolationException($"Unknown credit note outcome {result.Outcome}.");
        }
    }

    // shopId: the customer's shop, whose notes alone it sees; null: the operator's, who sees all.
    private static async Task<IResult> ListAsync(string id, string? shopId, InvoiceBook invoices, CreditNoteBook notes, CancellationToken cancellationToken)
    {
        var invoice = CatalogIds.IsWellFormed(id, CatalogIds.Invoice) ? await invoices.InvoiceAsync(id, cancellationToken) : null;
        if (invoice is null || (shopId is not null && invoice.ShopId != shopId))
        {
            return ApiProblem.NotFound("invoice_not_found", "invoice", id);
        }

        var listed = await notes.InvoiceNotesAsync(id, cancellationToken);
        return Results.Ok(new CreditNoteListResponse(id, listed.Sum(n => n.Document.Total), [.. listed.Select(CreditNoteResponse.From)]));
    }

    private static async Task<IResult> GetAsync(string id, string? shopId, CreditNoteBook notes, CancellationToken cancellationToken) =>
        await VisibleAsync(id, shopId, notes, cancellationToken) is { } note ? Results.Ok(CreditNoteResponse.From(note)) : ApiProblem.NotFound("credit_note_not_found", "credit note", id);

    private static async Task<IResult> GetHtmlAsync(string id, string? shopId, CreditNoteBook notes, CancellationToken cancellationToken) =>
        await VisibleAsync(id, shopId, notes, cancellationToken) is { } note
            ? Results.Text(CreditNoteHtmlRenderer.Render(note.Document.ToDomain()), "text/html; charset=utf-8", Encoding.UTF8)
            : ApiProblem.NotFound("credit_note_not_found", "credit note", id);

    private static async Task<IssuedCreditNote?> VisibleAsync(string id, string? shopId, CreditNoteBook notes, CancellationToken cancellationToken) =>
        CatalogIds.IsWellFormed(id, CatalogIds.CreditNote) && await notes.NoteAsync(id, cancellationToken) is { } note && (shopId is null || note.Document.ShopId == shopId)
            ? note
            : null;
}
