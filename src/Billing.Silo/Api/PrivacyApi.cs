using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;
using Billing.Silo.Privacy;

namespace Billing.Silo.Api;

/// <summary>What erasing a customer did; on a repeat, the first erasure's time and zeros.</summary>
public sealed record CustomerErasedResponse(
    string CustomerId, DateTimeOffset ErasedAt, bool AlreadyErased, int RevokedApiKeys, int ShopsPseudonymised,
    int PaymentMethodsRemoved, int EmailsDeleted, int UsageDescriptionsCleared, IReadOnlyList<string> Kept);

/// <summary>
/// GDPR, behind the admin key: <c>GET /api/v1/admin/customers/{id}/export</c> (everything stored
/// about the customer, one JSON document) and <c>POST /api/v1/admin/customers/{id}/erase</c>
/// (personal data pseudonymised or removed, issued invoices kept; idempotent).
/// </summary>
public static class PrivacyApi
{
    private static readonly IReadOnlyList<string> KeptOnErasure =
        ["invoices and credit notes as issued (tax retention)", "amounts, periods and usage counts (the books)", "ids of customer, shops, keys and payments"];

    public static IEndpointRouteBuilder MapPrivacyApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin/customers").RequireAdminKey();
        admin.MapGet("/{id}/export", ExportAsync).WithName("ExportCustomer")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblems(StatusCodes.Status404NotFound, "customer_not_found");
        admin.MapPost("/{id}/erase", EraseAsync).WithName("EraseCustomer")
            .Produces<CustomerErasedResponse>().ProducesProblems(StatusCodes.Status404NotFound, "customer_not_found");
        return routes;
    }

    private static async Task<IResult> ExportAsync(string id, HttpContext http, CatalogStore catalog, CustomerExport export, CancellationToken cancellationToken)
    {
        if (await catalog.GetCustomerAsync(id, cancellationToken) is null)
        {
            return ApiProblem.NotFound("customer_not_found", "customer", id);
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"customer-{id}.json\"";
        http.Response.Headers.CacheControl = "no-store";
        await export.WriteAsync(id, http.Response.Body, cancellationToken);
        return Results.Empty;
    }

    private static async Task<IResult> EraseAsync(string id, CustomerErasure erasure, ApiKeyAuthenticator authenticator, CancellationToken cancellationToken)
    {
        if (await erasure.EraseAsync(id, cancellationToken) is not { } erased)
        {
            return ApiProblem.NotFound("customer_not_found", "customer", id);
        }

        foreach (var prefix in erased.RevokedPrefixes)
        {
            authenticator.Forget(prefix);
        }

        return TypedResults.Ok(new CustomerErasedResponse(
            id, erased.ErasedAt, erased.WasErasedBefore, erased.RevokedPrefixes.Count, erased.ShopsPseudonymised,
            erased.PaymentMethodsRemoved, erased.MailsDeleted, erased.UsageDescriptionsCleared, KeptOnErasure));
    }
}
