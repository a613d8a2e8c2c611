using Billing.Contracts.Payments;
using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Payments;

namespace Billing.Silo.Api.Payments;

/// <summary>
/// Where PayPal sends the buyer's browser back, with the order's id as <c>token</c>: no API key (it
/// is the buyer, not the shop), so nothing here trusts more than PayPal's own answer about the order.
/// </summary>
public static class PayPalReturnApi
{
    public static IEndpointRouteBuilder MapPayPalReturnApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/billing/paypal/return", ReturnAsync).WithName("PayPalReturn")
            .Produces<PurchaseResponse>().Produces<PurchaseResponse>(StatusCodes.Status202Accepted).ProducesProblems(StatusCodes.Status402PaymentRequired, "payment_failed")
            .ProducesProblems(StatusCodes.Status404NotFound, "paypal_not_configured", "paypal_order_not_found").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused").ProducesProblems(StatusCodes.Status502BadGateway, "payment_provider_unavailable");
        routes.MapGet("/api/v1/billing/paypal/cancel", CancelAsync).WithName("PayPalCancel")
            .Produces<PurchaseResponse>().ProducesProblems(StatusCodes.Status404NotFound, "paypal_not_configured", "paypal_order_not_found").ProducesProblems(StatusCodes.Status502BadGateway, "payment_provider_unavailable");
        return routes;
    }

    private static async Task<IResult> ReturnAsync(HttpContext http, string? token, PayPalCheckouts checkouts, CancellationToken cancellationToken) =>
        Answer(http, token, await checkouts.ReturnAsync(token, cancellationToken), cancelled: false);

    private static async Task<IResult> CancelAsync(HttpContext http, string? token, PayPalCheckouts checkouts, CancellationToken cancellationToken) =>
        Answer(http, token, await checkouts.CancelAsync(token, cancellationToken), cancelled: true);

    private static IResult Answer(HttpContext http, string? token, (PayPalReturnOutcome Outcome, PurchaseResult? Result) answer, bool cancelled) => answer switch
    {
        (PayPalReturnOutcome.NotConfigured, _) => ApiProblem.Create(StatusCodes.Status404NotFound, "paypal_not_configured", "PayPal not configured",
            "Set Billing:Payments:PayPal:ClientId and ClientSecret to take payments with PayPal."),
        (PayPalReturnOutcome.UnknownOrder, _) => ApiProblem.NotFound("paypal_order_not_found", "PayPal order", token ?? string.Empty),
        // The buyer cancelled: that is the answer asked for, not an error of the request.
        (_, { Outcome: PurchaseOutcome.Failed } result) when cancelled => TypedResults.Ok(new PurchaseResponse(PurchaseRules.Response(result.Payment), null)),
        (_, { } result) => PaymentsApi.Answer(http, result),
        _ => throw new InvariantViolationException($"PayPal {(cancelled ? "cancel" : "return")} for {token} was answered without a result."),
    };
}
