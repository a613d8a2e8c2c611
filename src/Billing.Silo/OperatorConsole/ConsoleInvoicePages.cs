using Billing.Silo.Hosting;
using System.Globalization;
using Billing.Domain;
using Billing.Silo.Api.Invoicing;
using Billing.Silo.Invoicing;
using Microsoft.AspNetCore.Antiforgery;
using NodaTime;
using NodaTime.Text;

namespace Billing.Silo.OperatorConsole;

public sealed record InvoiceListModel(
    string? Status, string? Period, string? CustomerId, IReadOnlyList<InvoiceResponse> Invoices, string? NextAfter, string? Problem, InvoiceActions? Actions = null);

/// <summary>What the pay and waive forms of a list need: this browser's antiforgery token and the list to come back to.</summary>
public sealed record InvoiceActions(AntiforgeryTokenSet Antiforgery, string Back);

/// <summary>Invoices: the admin list filtered by status and period month, paged; each one as HTML or CSV, as the admin API renders it.</summary>
internal static class ConsoleInvoicePages
{
    public const int InvoicesPerPage = 50;

    public static RouteGroupBuilder MapConsoleInvoices(this RouteGroupBuilder console)
    {
        console.MapGet("/invoices", ListAsync).WithName("ConsoleInvoices");
        console.MapGet("/invoices/{id}", DocumentAsync).WithName("ConsoleInvoiceDocument");
        console.MapConsoleInvoiceActions();
        return console;
    }

    private static async Task<IResult> ListAsync(
        string? status, string? period, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "customer_id")] string? customerId, string? after,
        HttpContext http, IAntiforgery antiforgery, PeriodStandings standings, CancellationToken cancellationToken)
    {
        status = string.IsNullOrWhiteSpace(status) ? null : status.Trim();
        period = string.IsNullOrWhiteSpace(period) ? null : period.Trim();
        PeriodStatus? wanted = status is null ? null : PeriodStatuses.TryParse(status, out var parsed) ? parsed : null;
        var month = period is null ? null : YearMonthPattern.Iso.Parse(period) is { Success: true } m ? m.Value : (YearMonth?)null;
        var problem = (status is not null && wanted is null) ? "Status must be one of pending, overdue, paid, waived."
            : (period is not null && month is null) ? "Period must be a month such as 2026-11."
            : (customerId is not null && !CatalogIds.IsWellFormed(customerId, CatalogIds.Customer)) ? "That is not a customer id."
            : (after is not null && !CatalogIds.IsWellFormed(after, CatalogIds.Invoice)) ? "That is not an invoice id."
            : null;
        if (problem is not null)
        {
            return ConsoleApi.Page<InvoicesPage>(new InvoiceListModel(status, period, customerId, [], null, problem));
        }

        var (invoices, nextAfter) = await standings.ListInvoicesAsync(new AdminInvoiceQuery(null, customerId, wanted, month, after, InvoicesPerPage), cancellationToken);
        var actions = new InvoiceActions(antiforgery.GetAndStoreTokens(http), $"/invoices{http.Request.QueryString}");
        return ConsoleApi.Page<InvoicesPage>(new InvoiceListModel(
            status, period, customerId, [.. invoices.Select(i => InvoiceResponse.From(i.Document, i.Period))], nextAfter, null, actions));
    }

    /// <summary><c>inv_….html</c> or <c>inv_….csv</c>: the admin route's renderings; the invoice's own styles are inline, so its policy allows them.</summary>
    private static async Task<IResult> DocumentAsync(string id, HttpContext http, InvoiceBook book, PeriodStandings standings, CancellationToken cancellationToken)
    {
        if (!id.EndsWith(".html", StringComparison.OrdinalIgnoreCase) && !id.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return ConsoleApi.NotFound("invoice", id);
        }

        http.Response.Headers.ContentSecurityPolicy = SecurityHeaders.DocumentPolicy;
        return await InvoiceApi.RenderAsync(id, _ => true, book, standings, cancellationToken);
    }

    /// <summary>The query string of an invoice list page.</summary>
    public static string Query(InvoiceListModel model, string? after) =>
        string.Join("&", new[] { ("status", model.Status), ("period", model.Period), ("customer_id", model.CustomerId), ("after", after) }
            .Where(p => p.Item2 is not null)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}")));
}
