using System.Globalization;
using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Invoicing;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Billing.Silo.Api.Invoicing;

/// <summary>
/// Every shop's invoices for the operator, behind the admin key: a list paged like the catalog's
/// (<c>limit</c>, <c>after</c> = <c>next_after</c>) and filtered by shop, customer, status and
/// period month; and any invoice as JSON, <c>.html</c> or <c>.csv</c>, as its shop sees it.
/// </summary>
public static class AdminInvoiceApi
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapAdminInvoiceApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin").RequireAdminKey();
        admin.MapGet("/invoices", ListAsync).WithName("AdminListInvoices")
            .Produces<InvoicePage>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        admin.MapGet("/invoices/{id}", GetAsync).WithName("AdminGetInvoice")
            .Produces<InvoiceResponse>().ProducesProblems(StatusCodes.Status404NotFound, "invoice_not_found", "unknown_invoice_format");
        return routes;
    }

    private static Task<IResult> GetAsync(string id, InvoiceBook book, PeriodStandings standings, CancellationToken cancellationToken) =>
        InvoiceApi.RenderAsync(id, _ => true, book, standings, cancellationToken);

    /// <summary><c>?status=</c> pending, overdue, paid or waived; <c>?period=YYYY-MM</c> periods starting in that month.</summary>
    private static async Task<IResult> ListAsync(
        string? limit,
        string? after,
        string? status,
        string? period,
        [FromQuery(Name = "shop_id")] string? shopId,
        [FromQuery(Name = "customer_id")] string? customerId,
        PeriodStandings standings,
        CancellationToken cancellationToken)
    {
        var (pageSize, problem) = PageQuery.Parse(limit, after, MaxPageSize, CatalogIds.Invoice, "invoice");
        problem ??= PageQuery.CheckIdFilter(shopId, CatalogIds.Shop, "shop_id", "shop") ?? PageQuery.CheckIdFilter(customerId, CatalogIds.Customer, "customer_id", "customer");
        var (wanted, statusProblem) = ParseStatus(status);
        var (month, monthProblem) = ParseMonth(period);
        problem ??= statusProblem ?? monthProblem;
        if (problem is not null)
        {
            return problem;
        }

        var (invoices, nextAfter) = await standings.ListInvoicesAsync(new AdminInvoiceQuery(shopId, customerId, wanted, month, after, pageSize), cancellationToken);
        return Results.Ok(new InvoicePage([.. invoices.Select(i => InvoiceResponse.From(i.Document, i.Period))], nextAfter));
    }

    private static (PeriodStatus? Status, IResult? Problem) ParseStatus(string? text) =>
        text is null ? (null, null)
        : PeriodStatuses.TryParse(text, out var status) ? (status, null)
        : (null, PageQuery.Invalid("status must be one of pending, overdue, paid, waived."));

    private static (YearMonth? Month, IResult? Problem) ParseMonth(string? text) =>
        text is null ? (null, null)
        : DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) ? (new YearMonth(first.Year, first.Month), null)
        : (null, PageQuery.Invalid("period must be a month such as 2026-11."));
}
