using Billing.Contracts.Catalog;
using Billing.Domain;
using Billing.Silo.Catalog;

namespace Billing.Silo.Api;

/// <summary>One page of plans; pass <c>next_after</c> as <c>after</c> for the next page (null on the last).</summary>
public sealed record PlanPage(IReadOnlyList<PlanResponse> Plans, string? NextAfter);

/// <summary>Between the catalog's wire contracts (Billing.Contracts knows no domain types) and the domain's drafts and records.</summary>
public static class CatalogResponses
{
    public static PlanResponse ToResponse(this Plan plan) => new(
        plan.Id, plan.Name, plan.Price.Amount, plan.Price.Currency.Code, plan.TokensIncluded.Value, plan.DurationDays, plan.IsRecurring, plan.Description);

    public static CustomerResponse ToResponse(this CustomerProfile customer) =>
        new(customer.Id, customer.Name, customer.Email, customer.Currency.Code, customer.TimeZoneId, customer.VatRate);

    public static ShopResponse ToResponse(this Shop shop) => new(shop.Id, shop.CustomerId, shop.Name);

    public static ApiKeyCreatedResponse ToResponse(this IssuedApiKey issued) => new(issued.Id, issued.ShopId, issued.Name, issued.Key.Prefix, issued.Key.Value);

    public static PlanDraft ToDraft(this PlanRequest request) =>
        new(request.Name, request.Price, request.Currency, request.TokensIncluded, request.DurationDays, request.IsRecurring, request.Description);

    public static CustomerDraft ToDraft(this CustomerRequest request) => new(request.Name, request.Email, request.Currency, request.TimeZone, request.VatRate);
}
