namespace Billing.Contracts.Runs;

/// <summary>
/// Body of <c>POST /api/billing-scheduler/process-monthly-billing</c>. Every field is optional: absent shop ids mean every
/// shop, an absent period the previous month, dry run false and wait true.
/// </summary>
public sealed record ProcessMonthlyBillingRequest(IReadOnlyList<string>? ShopIds, string? Period, bool? DryRun, bool? Wait);

/// <summary>Body of <c>POST /api/billing-scheduler/process-shop-billing/{shop_id}</c>; the body itself may be left out.</summary>
public sealed record ProcessShopBillingRequest(string? Period, bool? DryRun);
