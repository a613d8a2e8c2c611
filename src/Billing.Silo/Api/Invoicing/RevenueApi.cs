using Billing.Domain;
using Billing.Silo.Api.Docs;
using Billing.Silo.Auth;
using Billing.Silo.Catalog;
using Billing.Silo.Invoicing;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Billing.Silo.Api.Invoicing;

/// <summary>
/// <c>POST /api/v1/usage/revenue</c> (API key): the shop reports sales attributed to the service, for
/// revenue-share plans (seed 002). Each sale gets its own result; an order id counts once per shop,
/// so a resend is a duplicate, a resend with another amount is rejected (422), and a resend that adds
/// a flag (a refund reported later) updates the sale until an invoice has billed it. A refund of a
/// sale already invoiced is credited on the shop's next invoice (200, <c>credited</c>), once; any
/// other flag an invoiced sale gains is refused (409).
/// </summary>
public static class RevenueApi
{
    public static IEndpointRouteBuilder MapRevenueApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/usage").RequireApiKey().MapPost("/revenue", IngestAsync).WithName("IngestRevenue")
            .AcceptsJson<RevenueBatchRequest>().Produces<RevenueBatchResponse>().ProducesProblems(StatusCodes.Status400BadRequest, "invalid_revenue_batch");
        return routes;
    }

    private static async Task<IResult> IngestAsync(
        HttpContext http, CatalogStore catalog, RevenueStore store, ShopTermsReader terms, TimeProvider time, IOptions<BillingOptions> options,
        CancellationToken cancellationToken)
    {
        var principal = http.GetApiKeyPrincipal();
        var (batch, problem) = await JsonBody.ReadAsync<RevenueBatchRequest>(http.Request, cancellationToken, RevenueBatchRequest.MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (batch!.Events is not { Count: > 0 and <= RevenueBatchRequest.MaxEvents } drafts)
        {
            return ApiProblem.Invalid("invalid_revenue_batch", "Invalid revenue batch", [new FieldError("events", $"events must hold 1 to {RevenueBatchRequest.MaxEvents} sales")]);
        }

        var customer = await catalog.GetCustomerAsync(principal.CustomerId, cancellationToken)
            ?? throw new InvariantViolationException($"The customer {principal.CustomerId} of a live API key is gone.");
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var results = new RevenueEventResult?[drafts.Count];
        var valid = new List<(int Index, RevenueEvent Event)>(drafts.Count);
        for (var i = 0; i < drafts.Count; i++)
        {
            if (drafts[i] is not { } draft)
            {
                results[i] = Invalid(i, null, [new FieldError("event", "each sale must be a JSON object")]);
            }
            else if (draft.TryCreate(customer.Currency, now, options.Value.MaxBackdateDays, out var revenueEvent, out var errors))
            {
                valid.Add((i, revenueEvent));
            }
            else
            {
                results[i] = Invalid(i, draft.OrderId, errors);
            }
        }

        // A refund may be of a sale already invoiced: its credit is priced by the plan in effect now.
        var credits = valid.Any(v => v.Event.Flags.HasFlag(RevenueEventFlags.Refunded))
            ? await RefundCredits.ForShopAsync(terms, options.Value, principal.ShopId, cancellationToken)
            : null;
        var outcomes = valid.Count == 0 ? [] : await store.RecordAsync(principal.ShopId, [.. valid.Select(v => v.Event)], now, credits, cancellationToken);
        for (var j = 0; j < outcomes.Count; j++)
        {
            results[valid[j].Index] = Result(valid[j].Index, valid[j].Event.OrderId, outcomes[j]);
        }

        var all = results.Select(r => r!).ToList();
        return Results.Ok(new RevenueBatchResponse(
            all.Count(r => r.Outcome == "recorded"), all.Count(r => r.Outcome == "updated"), all.Count(r => r.Outcome == "duplicate"), all.Count(r => r.Outcome == "rejected"),
            all.Count(r => r.Outcome == "credited"), all));
    }

    private static RevenueEventResult Invalid(int index, string? orderId, IReadOnlyList<FieldError> errors) =>
        new(
            index, orderId is { Length: <= RevenueEvent.MaxOrderIdLength } ? orderId : null, StatusCodes.Status400BadRequest, "rejected", "invalid_revenue_event",
            ApiProblem.Detail(errors),
            ApiProblem.ErrorsByField(errors));

    private static RevenueEventResult Result(int index, string orderId, RevenueRecordResult outcome) => outcome.Outcome switch
    {
        RevenueRecordOutcome.Recorded => new(index, orderId, StatusCodes.Status201Created, "recorded", null, null, null),
        RevenueRecordOutcome.Duplicate => new(index, orderId, StatusCodes.Status200OK, "duplicate", null, "The order was recorded before; it counts once.", null),
        RevenueRecordOutcome.FlagsAdded => new(index, orderId, StatusCodes.Status200OK, "updated", null, "The order gained flags; they apply when its period is invoiced.", null),
        RevenueRecordOutcome.AmountConflict => new(
            index, orderId, StatusCodes.Status422UnprocessableEntity, "rejected", "order_amount_conflict",
            $"The order was recorded with {outcome.Stored}; an order has one amount (report a refund with the flag refunded).", null),
        RevenueRecordOutcome.Credited => new(
            index, orderId, StatusCodes.Status200OK, "credited", null,
            $"The order was billed on invoice {outcome.InvoiceId}; its refund credits {outcome.Credit} on the shop's next invoice.", null),
        RevenueRecordOutcome.AlreadyInvoiced => new(
            index, orderId, StatusCodes.Status409Conflict, "rejected", "order_already_invoiced",
            $"The order was billed on invoice {outcome.InvoiceId ?? "(just issued)"}; its flags can no longer change.", null),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Outcome, "Unknown revenue outcome."),
    };
}
