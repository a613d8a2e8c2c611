using Billing.Contracts.Metering;
using Billing.Contracts.Payments;
using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Api.Metering;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;
using Billing.Silo.Payments;
using NodaTime;

namespace Billing.Silo.Api.Payments;

/// <summary>
/// The customer's payments (API key, seed 001): buy a plan, finish a payment's authentication, and
/// list payments. A customer only ever sees its own payments; another's is answered 404.
/// </summary>
public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder routes)
    {
        var customer = routes.MapGroup("/api/v1/billing").RequireApiKey();
        customer.MapPost("/purchase", PurchaseAsync).WithName("PurchasePlan")
            .ReadsIdempotencyKey()
            .AcceptsJson<PurchaseRequest>().Produces<PurchaseResponse>().Produces<PurchaseResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status400BadRequest, "paypal_not_configured", "payment_method_not_supported").ProducesProblems(StatusCodes.Status402PaymentRequired, "payment_failed").ProducesProblems(StatusCodes.Status404NotFound, "plan_not_found")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "currency_mismatch", "idempotency_key_reused").ProducesProblems(StatusCodes.Status502BadGateway, "payment_provider_unavailable");
        customer.MapGet("/payments", ListAsync).WithName("ListPayments")
            .Produces<PaymentPageResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_query");
        customer.MapGet("/payments/{paymentId}", GetAsync).WithName("GetPayment")
            .Produces<PaymentResponse>().ProducesProblems(StatusCodes.Status404NotFound, "payment_not_found");
        customer.MapPost("/payments/{paymentId}/confirm", ConfirmAsync).WithName("ConfirmPayment")
            .Produces<PurchaseResponse>().Produces<PurchaseResponse>(StatusCodes.Status202Accepted).ProducesProblems(StatusCodes.Status402PaymentRequired, "payment_failed")
            .ProducesProblems(StatusCodes.Status404NotFound, "payment_not_found").ProducesProblems(StatusCodes.Status409Conflict, "payment_not_awaiting_action").ProducesProblems(StatusCodes.Status502BadGateway, "payment_provider_unavailable");
        return routes;
    }

    private static async Task<IResult> PurchaseAsync(
        HttpContext http, CatalogStore catalog, PlanPurchases purchases, PaymentProviders providers, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PurchaseRequest>(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var idempotencyKey = MeteringApi.IdempotencyKeyOf(http.Request);
        var (errors, source) = PurchaseRules.Check(body!, LocalDate.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (ConsumeRequest.ValidateIdempotencyKey(idempotencyKey) is { } keyError)
        {
            errors.Add(new FieldError("idempotency_key", keyError));
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid("invalid_request", "Invalid purchase request", errors);
        }

        var customerId = http.GetApiKeyPrincipal().CustomerId;
        var customer = await catalog.GetCustomerAsync(customerId, cancellationToken)
            ?? throw new InvariantViolationException($"API key of customer {customerId} resolved, but the customer does not exist.");
        var plan = await catalog.GetPlanAsync(body!.PlanId!, cancellationToken);
        if (plan is null)
        {
            return ApiProblem.NotFound("plan_not_found", "plan", body.PlanId!);
        }

        if (plan.Price.Currency != customer.Currency)
        {
            return ApiProblem.Create(StatusCodes.Status422UnprocessableEntity, "currency_mismatch", "Currency mismatch",
                $"Plan {plan.Id} is priced in {plan.Price.Currency}; you pay in {customer.Currency}.");
        }

        if (source is null && plan.Price.Amount > 0m)
        {
            return ApiProblem.Invalid("invalid_request", "Invalid purchase request", [new FieldError("card", $"plan {plan.Id} costs {plan.Price}: a card or payment_method_id is required")]);
        }

        if (source is PayPalCheckout && providers.PayPal is null)
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "paypal_not_configured", "PayPal not configured",
                "This server does not offer PayPal (Billing:Payments:PayPal:ClientId and ClientSecret are not set); pay by card.");
        }

        if (source is not null && providers.For(source) is var provider && provider.Refusal(source) is { } refusal)
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "payment_method_not_supported", "Payment method not supported", $"The {provider.Name} provider cannot charge it: {refusal}.");
        }

        var result = await purchases.PurchaseAsync(customerId, plan, source, idempotencyKey, PurchaseRules.Hash(plan.Id, source), cancellationToken);
        return Answer(http, result);
    }

    private static async Task<IResult> ConfirmAsync(
        string paymentId, HttpContext http, PaymentStore payments, PlanPurchases purchases, CancellationToken cancellationToken)
    {
        if (await FindAsync(http, paymentId, payments, cancellationToken) is not { } payment)
        {
            return ApiProblem.NotFound("payment_not_found", "payment", paymentId);
        }

        if (payment.Status is StoredPaymentStatus.Failed or StoredPaymentStatus.Pending)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, "payment_not_awaiting_action", "Payment not awaiting action",
                $"Payment {payment.PaymentId} is {StoredPayment.StatusName(payment.Status)}; only a payment that requires action can be confirmed.");
        }

        return Answer(http, await purchases.ConfirmAsync(payment, cancellationToken));
    }

    private static async Task<IResult> GetAsync(string paymentId, HttpContext http, PaymentStore payments, CancellationToken cancellationToken) =>
        await FindAsync(http, paymentId, payments, cancellationToken) is { } payment
            ? TypedResults.Ok(PurchaseRules.Response(payment))
            : ApiProblem.NotFound("payment_not_found", "payment", paymentId);

    private static async Task<IResult> ListAsync(HttpContext http, string? limit, string? after, PaymentStore payments, CancellationToken cancellationToken)
    {
        if (!ListLimit.TryParse(limit, PaymentStore.MaxPageSize, PaymentStore.MaxPageSize, out var pageSize, out var limitError))
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_query", "Invalid query", ApiProblem.Detail([limitError]));
        }

        StoredPayment? previous = null;
        if (after is not null && (previous = await FindAsync(http, after, payments, cancellationToken)) is null)
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "invalid_query", "Invalid query", "after must be one of your payment ids, as given in next_after.");
        }

        var page = await payments.ListAsync(http.GetApiKeyPrincipal().CustomerId, previous, pageSize + 1, cancellationToken);
        var shown = page.Take(pageSize).Select(PurchaseRules.Response).ToList();
        return TypedResults.Ok(new PaymentPageResponse(shown, page.Count > pageSize ? shown[^1].Id : null));
    }

    private static async Task<StoredPayment?> FindAsync(HttpContext http, string paymentId, PaymentStore payments, CancellationToken cancellationToken) =>
        Guid.TryParseExact(paymentId, "D", out var id) ? await payments.GetAsync(http.GetApiKeyPrincipal().CustomerId, id, cancellationToken) : null;

    internal static IResult Answer(HttpContext http, PurchaseResult result)
    {
        var payment = PurchaseRules.Response(result.Payment);
        return result.Outcome switch
        {
            PurchaseOutcome.Granted => TypedResults.Ok(new PurchaseResponse(payment, SubscriptionApi.Response(result.Subscription!, result.Plan.Name))),
            PurchaseOutcome.RequiresAction => TypedResults.Accepted(payment.NextAction!.ConfirmUrl, new PurchaseResponse(payment, null)),
            PurchaseOutcome.IdempotencyKeyReused => ApiProblem.Create(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "Idempotency key reused",
                $"Idempotency-Key {http.Request.Headers[MeteringApi.IdempotencyKeyHeader]} was used for a different purchase."),
            PurchaseOutcome.Failed => ApiProblem.Create(StatusCodes.Status402PaymentRequired, "payment_failed", "Payment failed",
                $"{(result.Payment.Provider == PaymentOptions.PayPalProvider ? "PayPal did not pay" : "The card was declined")} ({result.Payment.DeclineCode ?? result.Payment.FailureCode}); nothing was charged.",
                new Dictionary<string, object?> { ["payment_id"] = result.Payment.PaymentId, ["failure_code"] = result.Payment.FailureCode, ["decline_code"] = result.Payment.DeclineCode }),
            _ => throw new InvariantViolationException($"Unknown purchase outcome {result.Outcome}."),
        };
    }
}
