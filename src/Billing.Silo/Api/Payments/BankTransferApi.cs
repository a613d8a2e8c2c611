using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Invoicing;
using Billing.Silo.Payments.Transfers;
using Microsoft.Net.Http.Headers;

namespace Billing.Silo.Api.Payments;

/// <summary>
/// Bank transfers (seed 004), admin key only. <c>POST /api/v1/admin/invoices/{id}/transfers</c>
/// records one: 201 with the invoice's balance after it (its period is paid once the transfers
/// cover the total); the same bank reference again 200 with <c>Idempotent-Replayed: true</c>, or 409
/// <c>bank_reference_conflict</c> when it was recorded with another invoice, amount or date; 409
/// <c>invoice_already_paid</c>; 422 <c>currency_mismatch</c> or <c>amount_exceeds_open</c> (with
/// <c>open</c>). <c>POST /api/v1/admin/bank-statements</c> takes a CSV or camt.053 statement and
/// answers 200 with what became of every line.
/// </summary>
public static class BankTransferApi
{
    public static IEndpointRouteBuilder MapBankTransferApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAdminKey();
        admin.MapPost("/invoices/{id}/transfers", RecordAsync).WithName("RecordBankTransfer")
            .AcceptsJson<TransferRequest>().Produces<TransferResponse>(StatusCodes.Status201Created).Produces<TransferResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_transfer")
            .ProducesProblems(StatusCodes.Status404NotFound, "invoice_not_found").ProducesProblems(StatusCodes.Status409Conflict, "bank_reference_conflict", "invoice_already_paid").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "currency_mismatch", "amount_exceeds_open");
        admin.MapGet("/invoices/{id}/transfers", ListAsync).WithName("ListBankTransfers")
            .Produces<TransferListResponse>().ProducesProblems(StatusCodes.Status404NotFound, "invoice_not_found");
        admin.MapPost("/bank-statements", UploadAsync).WithName("UploadBankStatement")
            .Accepts<string>("text/csv", "application/xml", "text/xml").Produces<StatementReportResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, "invalid_statement").ProducesProblems(StatusCodes.Status413PayloadTooLarge, "payload_too_large").ProducesProblems(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");
        return routes;
    }

    private static async Task<IResult> RecordAsync(string id, HttpRequest request, BankTransfers transfers, PeriodStandings standings, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<TransferRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (draft, errors) = body!.Validate(standings.Now);
        if (draft is null)
        {
            return ApiProblem.Invalid("invalid_transfer", "The transfer is invalid", errors);
        }

        var result = await transfers.RecordAsync(id, draft, cancellationToken);
        if (result.Outcome == TransferOutcome.Replayed)
        {
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }

        var open = result.Balance is { } balance ? new Dictionary<string, object?> { ["open"] = balance.Amount(balance.OpenMinor), ["currency"] = balance.Currency.Code } : new();
        return result.Outcome switch
        {
            TransferOutcome.Partial or TransferOutcome.Paid => Results.Created($"/api/v1/admin/invoices/{id}/transfers", TransferResponse.From(result.Transfer!, result.Balance!)),
            TransferOutcome.Replayed => Results.Ok(TransferResponse.From(result.Transfer!, result.Balance!)),
            TransferOutcome.InvoiceNotFound => ApiProblem.NotFound("invoice_not_found", "invoice", id),
            TransferOutcome.ReferenceConflict => ApiProblem.Create(StatusCodes.Status409Conflict, "bank_reference_conflict", "Bank reference recorded otherwise", result.Detail),
            TransferOutcome.AlreadyPaid => ApiProblem.Create(StatusCodes.Status409Conflict, "invoice_already_paid", "Invoice already paid", result.Detail, open),
            TransferOutcome.CurrencyMismatch => ApiProblem.Create(StatusCodes.Status422UnprocessableEntity, "currency_mismatch", "Currency mismatch", result.Detail, open),
            TransferOutcome.ExceedsOpen => ApiProblem.Create(StatusCodes.Status422UnprocessableEntity, "amount_exceeds_open", "Amount exceeds what is open", result.Detail, open),
            _ => throw new InvariantViolationException($"Transfer outcome {result.Outcome} has no answer."),
        };
    }

    private static async Task<IResult> ListAsync(string id, BankTransfers transfers, BankTransferStore store, CancellationToken cancellationToken)
    {
        if (await transfers.BalanceAsync(id, cancellationToken) is not { } balance)
        {
            return ApiProblem.NotFound("invoice_not_found", "invoice", id);
        }

        var listed = await store.InvoiceTransfersAsync(id, BankTransferStore.MaxTransfersListed, cancellationToken);
        return Results.Ok(new TransferListResponse(
            id, balance.InvoiceNumber, balance.Currency.Code, balance.Amount(balance.TotalMinor), balance.Amount(balance.ReceivedMinor), balance.Amount(balance.OpenMinor),
            balance.Status.ToText(), [.. listed.Select(t => TransferResponse.From(t, balance))]));
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, StatementImport import, CancellationToken cancellationToken)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        Func<byte[], BankStatement>? parse = mediaType switch
        {
            "text/csv" => body => StatementCsv.Parse(body),
            "application/xml" or "text/xml" => Camt053Statement.Parse,
            _ => null,
        };
        if (parse is null)
        {
            return ApiProblem.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type",
                "Send the statement as text/csv (see the README for its header) or application/xml (ISO 20022 camt.053).");
        }

        if (await RawBody.ReadAsync(request, BankStatement.MaxBytes, cancellationToken) is not { } body)
        {
            return ApiProblem.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large", $"A statement is at most {BankStatement.MaxBytes} bytes; split it.");
        }

        BankStatement statement;
        try
        {
            statement = parse(body);
        }
        catch (StatementFormatException malformed)
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_statement", "Malformed statement", malformed.Message,
                new Dictionary<string, object?> { ["line"] = malformed.Line });
        }

        var results = await import.ImportAsync(statement, cancellationToken);
        return Results.Ok(StatementReportResponse.From(statement.Format, results));
    }
}
