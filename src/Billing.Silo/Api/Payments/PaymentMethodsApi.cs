using Billing.Contracts.Payments;
using Billing.Domain;
using Billing.Domain.Payments;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Payments;
using Billing.Silo.Payments.Methods;
using NodaTime;

namespace Billing.Silo.Api.Payments;

/// <summary>
/// The customer's saved payment methods (API key): save a card, a provider's payment method or a
/// SEPA Direct Debit mandate, list them, choose the default (what invoices and renewals are charged
/// to), remove one. Another customer's method is answered 404.
/// </summary>
public static class PaymentMethodsApi
{
    public static IEndpointRouteBuilder MapPaymentMethodsApi(this IEndpointRouteBuilder routes)
    {
        var customer = routes.MapGroup("/api/v1/billing/payment-methods").RequireApiKey();
        customer.MapPost("/", SaveAsync).WithName("SavePaymentMethod")
            .AcceptsJson<SavePaymentMethodRequest>().Produces<PaymentMethodResponse>(StatusCodes.Status201Created).ProducesProblems(StatusCodes.Status400BadRequest, "payment_method_not_supported")
            .ProducesProblems(StatusCodes.Status402PaymentRequired, "payment_method_refused").ProducesProblems(StatusCodes.Status409Conflict, "too_many_payment_methods").ProducesProblems(StatusCodes.Status502BadGateway, "payment_provider_unavailable");
        customer.MapGet("/", ListAsync).WithName("ListPaymentMethods")
            .Produces<PaymentMethodListResponse>();
        customer.MapGet("/{methodId}", GetAsync).WithName("GetPaymentMethod")
            .Produces<PaymentMethodResponse>().ProducesProblems(StatusCodes.Status404NotFound, "payment_method_not_found");
        customer.MapPost("/{methodId}/default", MakeDefaultAsync).WithName("MakeDefaultPaymentMethod")
            .Produces<PaymentMethodListResponse>().ProducesProblems(StatusCodes.Status404NotFound, "payment_method_not_found");
        customer.MapDelete("/{methodId}", RemoveAsync).WithName("RemovePaymentMethod")
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(StatusCodes.Status404NotFound, "payment_method_not_found");
        return routes;
    }

    private static async Task<IResult> SaveAsync(HttpContext http, PaymentMethods methods, IPaymentProvider provider, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<SavePaymentMethodRequest>(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<FieldError>();
        var source = SourceOf(body!, errors, LocalDate.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (errors.Count > 0 || source is null)
        {
            return ApiProblem.Invalid("invalid_request", "Invalid payment method", errors.Count > 0 ? errors : [new FieldError("card", "send one of card, payment_method_id or sepa_debit")]);
        }

        if (source is not SepaDebitInput && provider.Refusal(source) is { } refusal)
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, "payment_method_not_supported", "Payment method not supported", $"The {provider.Name} provider cannot save it: {refusal}.");
        }

        var result = await methods.SaveAsync(http.GetApiKeyPrincipal().CustomerId, source, body!.MakeDefault ?? true, cancellationToken);
        if (result.TooMany)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, "too_many_payment_methods", "Too many payment methods",
                $"A customer keeps at most {PaymentMethodStore.MaxMethodsPerCustomer} payment methods; remove one first.");
        }

        if (result.Refusal is { } refused)
        {
            return ApiProblem.Create(StatusCodes.Status402PaymentRequired, "payment_method_refused", "Payment method refused",
                $"The provider refused the payment method ({refused.FailureCode}{(refused.DeclineCode is null ? "" : $", {refused.DeclineCode}")}).",
                new Dictionary<string, object?> { ["failure_code"] = refused.FailureCode, ["decline_code"] = refused.DeclineCode });
        }

        return TypedResults.Created($"/api/v1/billing/payment-methods/{result.Method!.MethodId}", Response(result.Method));
    }

    private static async Task<IResult> ListAsync(HttpContext http, PaymentMethods methods, CancellationToken cancellationToken) =>
        TypedResults.Ok(new PaymentMethodListResponse([.. (await methods.ListAsync(http.GetApiKeyPrincipal().CustomerId, cancellationToken)).Select(Response)]));

    /// <summary>What the <c>Location</c> of a saved method names; a customer keeps at most a handful, so their list is searched.</summary>
    private static async Task<IResult> GetAsync(string methodId, HttpContext http, PaymentMethods methods, CancellationToken cancellationToken) =>
        Guid.TryParse(methodId, out var id) && (await methods.ListAsync(http.GetApiKeyPrincipal().CustomerId, cancellationToken)).FirstOrDefault(m => m.MethodId == id) is { } method
            ? TypedResults.Ok(Response(method))
            : ApiProblem.NotFound("payment_method_not_found", "payment method", methodId);

    private static async Task<IResult> MakeDefaultAsync(string methodId, HttpContext http, PaymentMethods methods, CancellationToken cancellationToken)
    {
        var customerId = http.GetApiKeyPrincipal().CustomerId;
        if (!Guid.TryParse(methodId, out var id) || !await methods.MakeDefaultAsync(customerId, id, cancellationToken))
        {
            return ApiProblem.NotFound("payment_method_not_found", "payment method", methodId);
        }

        return TypedResults.Ok(new PaymentMethodListResponse([.. (await methods.ListAsync(customerId, cancellationToken)).Select(Response)]));
    }

    private static async Task<IResult> RemoveAsync(string methodId, HttpContext http, PaymentMethods methods, CancellationToken cancellationToken) =>
        Guid.TryParse(methodId, out var id) && await methods.RemoveAsync(http.GetApiKeyPrincipal().CustomerId, id, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblem.NotFound("payment_method_not_found", "payment method", methodId);

    private static PaymentSource? SourceOf(SavePaymentMethodRequest body, List<FieldError> errors, LocalDate todayUtc)
    {
        if (body.SepaDebit is not { } sepa)
        {
            return PurchaseRules.SourceOf(body.Card, body.PaymentMethodId, errors, todayUtc);
        }

        if (body.Card is not null || body.PaymentMethodId is not null)
        {
            errors.Add(new FieldError("sepa_debit", "send one of card, payment_method_id or sepa_debit"));
        }

        if (!Iban.TryParse(sepa.Iban, out var iban, out var ibanError))
        {
            errors.Add(new FieldError("sepa_debit.iban", ibanError));
        }

        var holder = sepa.AccountHolder?.Trim();
        if (string.IsNullOrEmpty(holder) || TextLength.Exceeds(holder, SepaDebitInput.MaxAccountHolderLength))
        {
            errors.Add(new FieldError("sepa_debit.account_holder", $"sepa_debit.account_holder is required, at most {SepaDebitInput.MaxAccountHolderLength} characters"));
        }

        return errors.Count == 0 ? new SepaDebitInput(iban, holder!) : null;
    }

    private static PaymentMethodResponse Response(StoredPaymentMethod m) => new(
        m.MethodId, StoredPaymentMethod.KindName(m.Kind), m.Provider, m.Brand, m.Last4, m.ExpiryMonth, m.ExpiryYear, m.MandateRef, m.IsDefault, m.CreatedAt);
}
