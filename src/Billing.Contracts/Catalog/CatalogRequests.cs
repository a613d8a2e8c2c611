namespace Billing.Contracts.Catalog;

// Every field is nullable because the silo reads what clients send and names each missing or invalid field in its
// 400 answer, rather than failing the whole body on the first absent one.

/// <summary>Body of <c>POST /api/v1/admin/plans</c>; <c>duration_days</c> null means valid until used up.</summary>
public sealed record PlanRequest(
    string? Name, decimal? Price, string? Currency, long? TokensIncluded, int? DurationDays, bool? IsRecurring, string? Description);

/// <summary>Body of <c>POST /api/v1/admin/customers</c>; absent time zone and VAT rate take the silo's defaults.</summary>
/// <remarks><c>test_clock</c> (optional): the id of the test clock the customer lives on; it is created at the clock's instant.</remarks>
public sealed record CustomerRequest(string? Name, string? Email, string? Currency, string? TimeZone, decimal? VatRate = null, string? TestClock = null);

/// <summary>Body of the requests that only name something (a shop, an API key).</summary>
public sealed record NameRequest(string? Name);

/// <summary>
/// Body of <c>POST /api/v1/admin/customers/{id}/shops</c>. <c>opened_on</c> (optional) is the shop's first day when
/// it began before it was registered here (history moved from another system): its first period is the one holding
/// that day, and usage may be back-dated to it.
/// </summary>
public sealed record ShopRequest(string? Name, DateOnly? OpenedOn = null);

/// <summary>Body of <c>POST /api/v1/admin/shops/{id}/close</c>, optional: <c>closed_on</c> is the shop's last day when it stopped before today.</summary>
public sealed record ShopCloseRequest(DateOnly? ClosedOn);

/// <summary>Body of <c>PATCH /api/v1/admin/customers/{id}</c>: absent fields keep their value; the currency never changes.</summary>
public sealed record CustomerPatchRequest(string? Name, string? Email, string? TimeZone, decimal? VatRate);
