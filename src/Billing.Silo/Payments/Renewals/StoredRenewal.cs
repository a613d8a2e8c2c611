using Billing.Domain;

namespace Billing.Silo.Payments.Renewals;

public enum RenewalStatus
{
    /// <summary>The period ending at <see cref="StoredRenewal.PeriodEnd"/> is renewed at <see cref="StoredRenewal.NextAttemptAt"/>.</summary>
    Scheduled,

    /// <summary>Every retry failed: the plan ran out at its period's end and is not renewed any more.</summary>
    Lapsed,

    /// <summary>Turned off (by the customer, or because the subscription is on another plan now).</summary>
    Cancelled,
}

/// <summary>A row of <c>plan_renewals</c>: a customer's recurring plan, the period its next renewal continues, and how far its retries got.</summary>
public sealed record StoredRenewal(
    string CustomerId,
    string PlanId,
    DateTimeOffset PeriodEnd,
    RenewalStatus Status,
    string? EndedReason,
    int Attempts,
    DateTimeOffset? FirstFailedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset UpdatedAt)
{
    public const string RetriesExhausted = "retries_exhausted";
    public const string ByCustomer = "customer";
    public const string PlanChanged = "plan_changed";
    public const string PlanNotRecurring = "plan_not_recurring";

    public static string StatusName(RenewalStatus status) => status switch
    {
        RenewalStatus.Scheduled => "scheduled",
        RenewalStatus.Lapsed => "lapsed",
        RenewalStatus.Cancelled => "cancelled",
        _ => throw new InvariantViolationException($"Unknown renewal status {status}."),
    };

    public static RenewalStatus ParseStatus(string name) => name switch
    {
        "scheduled" => RenewalStatus.Scheduled,
        "lapsed" => RenewalStatus.Lapsed,
        "cancelled" => RenewalStatus.Cancelled,
        _ => throw new InvariantViolationException($"Stored renewal status '{name}' is unknown."),
    };
}
