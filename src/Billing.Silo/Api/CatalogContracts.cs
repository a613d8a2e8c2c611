using Billing.Domain;
using Billing.Silo.Catalog;

namespace Billing.Silo.Api;

/// <summary>A plan as the API shows it: price as a decimal in its currency's minor-unit scale ("15.00").</summary>
public sealed record PlanResponse(
    string Id, string Name, decimal Price, string Currency, long TokensIncluded, int? DurationDays, bool IsRecurring, string? Description)
{
    public static PlanResponse From(Plan plan) => new(
        plan.Id, plan.Name, plan.Price.Amount, plan.Price.Currency.Code, plan.TokensIncluded.Value, plan.DurationDays, plan.IsRecurring, plan.Description);
}

/// <summary>One page of plans; pass <c>next_after</c> as <c>after</c> for the next page (null on the last).</summary>
public sealed record PlanPage(IReadOnlyList<PlanResponse> Plans, string? NextAfter);

public sealed record CustomerResponse(string Id, string Name, string Email, string Currency, string TimeZone, decimal VatRate)
{
    public static CustomerResponse From(CustomerProfile customer) =>
        new(customer.Id, customer.Name, customer.Email, customer.Currency.Code, customer.TimeZoneId, customer.VatRate);
}

public sealed record ShopResponse(string Id, string CustomerId, string Name)
{
    public static ShopResponse From(Shop shop) => new(shop.Id, shop.CustomerId, shop.Name);
}

/// <summary>The only answer that ever contains the key itself.</summary>
public sealed record ApiKeyCreatedResponse(string Id, string ShopId, string Name, string Prefix, string Key)
{
    public static ApiKeyCreatedResponse From(IssuedApiKey issued) => new(issued.Id, issued.ShopId, issued.Name, issued.Key.Prefix, issued.Key.Value);
}

/// <summary>Body of the requests that only name something (a shop, an API key).</summary>
public sealed record NameRequest(string? Name);
