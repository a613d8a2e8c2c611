namespace Billing.Contracts.Metering;

/// <summary>
/// A subscription as the API shows it (seed 001: plan, tokens_remaining, end_date, is_active);
/// <c>is_suspended</c>: an invoice unpaid after dunning refuses consumes until it is paid.
/// </summary>
public sealed record SubscriptionResponse(
    string CustomerId, string? PlanId, string? PlanName, long TokensGranted, long TokensRemaining, long TokensConsumed,
    DateTimeOffset? StartDate, DateTimeOffset? EndDate, bool IsActive, bool IsSuspended = false);

/// <summary>Body of <c>POST /api/v1/admin/customers/{customer_id}/subscription</c>.</summary>
public sealed record GrantSubscriptionRequest(string? PlanId);

/// <summary>Body of <c>POST /api/v1/admin/customers/{customer_id}/subscription/top-ups</c>: tokens added without renewing the plan.</summary>
public sealed record TopUpRequest(long? Tokens);
