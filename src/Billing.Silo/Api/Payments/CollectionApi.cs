using Billing.Contracts.Payments;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Payments;
using Billing.Silo.Payments.Collection;

namespace Billing.Silo.Api.Payments;

/// <summary>
/// Invoice collection and dunning: the customer (API key) sees its invoice's collection and can ask
/// for an attempt now with its default method (after replacing a declined card, say), which a
/// suspended account uses to be reinstated; the operator (admin key) sees any invoice's collection.
/// </summary>
public static class CollectionApi
{
    public static IEndpointRouteBuilder MapCollectionApi(this IEndpointRouteBuilder routes)
    {
        var customer = routes.MapGroup("/api/v1/billing/invoices").RequireApiKey();
        customer.MapGet("/{invoiceId}/collection", CustomerGetAsync).WithName("GetInvoiceCollection")
            .Produces<InvoiceCollectionResponse>().ProducesProblems(StatusCodes.Status404NotFound, "collection_not_found");
        customer.MapPost("/{invoiceId}/pay", PayNowAsync).WithName("PayInvoiceNow")
            .Produces<InvoiceCollectionResponse>().ProducesProblems(StatusCodes.Status402PaymentRequired, "payment_failed").ProducesProblems(StatusCodes.Status404NotFound, "collection_not_found")
            .ProducesProblems(StatusCodes.Status409Conflict, "invoice_already_settled").ProducesProblems(StatusCodes.Status502BadGateway, "payment_provider_unavailable");
        routes.MapGroup("/api/v1/admin/invoices").RequireAdminKey().MapGet("/{invoiceId}/collection", AdminGetAsync).WithName("AdminGetInvoiceCollection")
            .Produces<InvoiceCollectionResponse>().ProducesProblems(StatusCodes.Status404NotFound, "collection_not_found");
        return routes;
    }

    private static async Task<IResult> CustomerGetAsync(string invoiceId, HttpContext http, InvoiceCollectionStore collections, PaymentStore payments, CancellationToken cancellationToken) =>
        await collections.GetAsync(invoiceId, cancellationToken) is { } collection && collection.CustomerId == http.GetApiKeyPrincipal().CustomerId
            ? TypedResults.Ok(await ResponseAsync(collection, payments, cancellationToken))
            : NotFound(invoiceId);

    private static async Task<IResult> AdminGetAsync(string invoiceId, InvoiceCollectionStore collections, PaymentStore payments, CancellationToken cancellationToken) =>
        await collections.GetAsync(invoiceId, cancellationToken) is { } collection
            ? TypedResults.Ok(await ResponseAsync(collection, payments, cancellationToken))
            : NotFound(invoiceId);

    private static async Task<IResult> PayNowAsync(
        string invoiceId, HttpContext http, InvoiceCollectionStore collections, PaymentStore payments, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var customerId = http.GetApiKeyPrincipal().CustomerId;
        var collection = await collections.GetAsync(invoiceId, cancellationToken);
        if (collection is null && await collections.OpenLateAsync(invoiceId, customerId, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken))
        {
            collection = await collections.GetAsync(invoiceId, cancellationToken);
        }

        if (collection is null || collection.CustomerId != customerId)
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, "collection_not_found", "Collection not found",
                $"No invoice {invoiceId} of yours can be charged: it does not exist, or you have no default payment method.");
        }

        if (collection.Status is CollectionStatus.Paid or CollectionStatus.Settled)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, "invoice_already_settled", "Invoice already settled", $"Invoice {invoiceId} is already {StoredCollection.StatusName(collection.Status)}.");
        }

        var status = await grains.GetGrain<IInvoiceCollectionGrain>(invoiceId).CollectNowAsync();
        var after = await collections.GetAsync(invoiceId, cancellationToken) ?? collection;
        var response = await ResponseAsync(after, payments, cancellationToken);
        return status == CollectionStatus.Paid ? TypedResults.Ok(response) : PaymentFailed(response);
    }

    private static IResult PaymentFailed(InvoiceCollectionResponse response)
    {
        var last = response.Payments.Count > 0 ? response.Payments[^1] : null;
        return ApiProblem.Create(StatusCodes.Status402PaymentRequired, "payment_failed", "Payment failed",
            $"Charging invoice {response.InvoiceId} failed ({last?.FailureCode ?? "no answer from the provider"}).",
            new Dictionary<string, object?> { ["failure_code"] = last?.FailureCode, ["decline_code"] = last?.DeclineCode, ["collection"] = response });
    }

    private static async Task<InvoiceCollectionResponse> ResponseAsync(StoredCollection c, PaymentStore payments, CancellationToken cancellationToken) => new(
        c.InvoiceId, c.CustomerId, StoredCollection.StatusName(c.Status), c.Amount.Amount, c.Amount.Currency.Code, c.Attempts, c.FirstFailedAt, c.NextAttemptAt,
        [.. (await payments.ForInvoiceAsync(c.InvoiceId, cancellationToken)).Select(PurchaseRules.Response)]);

    private static IResult NotFound(string invoiceId) => ApiProblem.NotFound("collection_not_found", "invoice collection", invoiceId);
}
