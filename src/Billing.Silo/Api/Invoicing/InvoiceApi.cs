using System.Text;
using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Invoicing;

namespace Billing.Silo.Api.Invoicing;

/// <summary>
/// Seed 004's customer invoice API, behind an API key: a shop sees its own invoices, as JSON, as a
/// printable HTML page (<c>/{id}.html</c>) or in seed 004's CSV layout (<c>/{id}.csv</c>).
/// </summary>
public static class InvoiceApi
{
    public const int MaxInvoicesListed = 100;

    public static IEndpointRouteBuilder MapInvoiceApi(this IEndpointRouteBuilder routes)
    {
        var billing = routes.MapGroup("/api/v1/billing").RequireApiKey();
        billing.MapGet("/invoices", ListAsync).WithName("ListInvoices")
            .Produces<InvoiceListResponse>();
        billing.MapGet("/invoices/{id}", GetAsync).WithName("GetInvoice")
            .Produces<InvoiceResponse>().ProducesProblems(StatusCodes.Status404NotFound, "invoice_not_found", "unknown_invoice_format");
        return routes;
    }

    private static async Task<IResult> ListAsync(HttpContext context, PeriodStandings standings, CancellationToken cancellationToken)
    {
        var invoices = await standings.ShopInvoicesAsync(context.GetApiKeyPrincipal().ShopId, MaxInvoicesListed, cancellationToken);
        return Results.Ok(new InvoiceListResponse([.. invoices.Select(i => InvoiceResponse.From(i.Document, i.Period))]));
    }

    private static Task<IResult> GetAsync(string id, HttpContext context, InvoiceBook book, PeriodStandings standings, CancellationToken cancellationToken) =>
        RenderAsync(id, d => d.ShopId == context.GetApiKeyPrincipal().ShopId, book, standings, cancellationToken);

    /// <summary>The invoice <paramref name="id"/> (with .html or .csv for those renderings) if <paramref name="visible"/> to the caller; otherwise 404.</summary>
    internal static async Task<IResult> RenderAsync(
        string id, Func<InvoiceDocument, bool> visible, InvoiceBook book, PeriodStandings standings, CancellationToken cancellationToken)
    {
        var (invoiceId, format) = SplitFormat(id);
        var document = CatalogIds.IsWellFormed(invoiceId, CatalogIds.Invoice) ? await book.InvoiceAsync(invoiceId, cancellationToken) : null;
        if (document is null || !visible(document))
        {
            return ApiProblem.NotFound("invoice_not_found", "invoice", id);
        }

        return format switch
        {
            "html" => Results.Text(InvoiceHtmlRenderer.Render(InvoiceDocuments.ToDomain(document)), "text/html; charset=utf-8", Encoding.UTF8),
            "csv" => Results.File(
                Encoding.UTF8.GetBytes(InvoiceCsvRenderer.Render(InvoiceDocuments.ToDomain(document))), "text/csv; charset=utf-8", $"{document.Number}.csv"),
            null => Results.Ok(InvoiceResponse.From(document, await standings.InvoicedPeriodAsync(document.Id, cancellationToken))),
            _ => ApiProblem.Create(StatusCodes.Status404NotFound, "unknown_invoice_format", "Unknown invoice format", $"Invoices come as JSON, .html or .csv, not .{format}."),
        };
    }

    /// <summary>"inv_….html" → ("inv_…", "html"); ids have no dots, so the last dot starts the format.</summary>
    private static (string Id, string? Format) SplitFormat(string id)
    {
        var dot = id.LastIndexOf('.');
        return dot < 0 ? (id, null) : (id[..dot], id[(dot + 1)..].ToLowerInvariant());
    }
}

public sealed record InvoiceListResponse(IReadOnlyList<InvoiceResponse> Invoices);

/// <summary>One page of the operator's invoice list; pass <c>next_after</c> as <c>after</c> for the next page (null on the last).</summary>
public sealed record InvoicePage(IReadOnlyList<InvoiceResponse> Invoices, string? NextAfter);

public sealed record InvoiceResponse(
    string Id,
    string Number,
    string ShopId,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    DateOnly IssueDate,
    DateOnly DueDate,
    string Currency,
    IReadOnlyList<DocumentLine> Lines,
    decimal Subtotal,
    decimal VatRate,
    decimal Vat,
    decimal Total,
    string Status,
    int DaysOverdue)
{
    /// <summary>The invoice with its period's standing as of now (pending, overdue with its days, paid, waived).</summary>
    public static InvoiceResponse From(InvoiceDocument d, PeriodStandingView? period)
    {
        var standing = period?.Standing ?? throw new InvariantViolationException($"Invoice {d.Id} has no billing period.");
        return new(
            d.Id, d.Number, d.ShopId, d.PeriodStart, d.PeriodEndExclusive.AddDays(-1), d.IssueDate, d.DueDate, d.Currency, d.Lines, d.Subtotal, d.VatRate, d.Vat, d.Total,
            standing.Status.ToText(), standing.DaysOverdue);
    }
}
