using System.Text.Json.Serialization;

namespace Billing.Contracts.Catalog;

/// <summary>A plan as the API shows it: price as a decimal in its currency's minor-unit scale ("15.00").</summary>
public sealed record PlanResponse(
    string Id, string Name, decimal Price, string Currency, long TokensIncluded, int? DurationDays, bool IsRecurring, string? Description);

/// <summary>A customer; <c>test_clock</c> is the clock it lives on, shown only for a customer on one.</summary>
public sealed record CustomerResponse(
    string Id, string Name, string Email, string Currency, string TimeZone, decimal VatRate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TestClock = null);

public sealed record ShopResponse(string Id, string CustomerId, string Name);

/// <summary>The only answer that ever contains the key itself.</summary>
public sealed record ApiKeyCreatedResponse(string Id, string ShopId, string Name, string Prefix, string Key);

/// <summary>An API key as the operator lists it: its prefix, never the key.</summary>
public sealed record ApiKeyResponse(string Id, string ShopId, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
