using System.Diagnostics.CodeAnalysis;
using Billing.Domain;
using NodaTime;

namespace Billing.Silo.Invoicing;

/// <summary>
/// A change of a shop's terms; a null field keeps its latest requested value (a scheduled
/// downgrade's included). Made by <see cref="TryCreate"/>, so seats and cycle are in range.
/// </summary>
[GenerateSerializer, Immutable, Alias("billing.TermsChangeRequest")]
public sealed record TermsChangeRequest([property: Id(0)] string? PricePlanId, [property: Id(1)] int? Seats, [property: Id(2)] BillingCycle? Cycle)
{
    /// <summary>Seats (screens, users) a shop may have; far above seed 003's largest (100) and under the domain's bound.</summary>
    public const int MaxSeats = 100_000;

    public static bool TryCreate(
        string? pricePlanId, int? seats, string? cycle, [NotNullWhen(true)] out TermsChangeRequest? request, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        if (pricePlanId is null && seats is null && cycle is null)
        {
            found.Add(new FieldError("price_plan_id", "give at least one of price_plan_id, seats and cycle"));
        }

        if (seats is < 0 or > MaxSeats)
        {
            found.Add(new FieldError("seats", $"seats must be between 0 and {MaxSeats}"));
        }

        BillingCycle? parsed = null;
        if (cycle is not null)
        {
            if (BillingCycles.TryParse(cycle, out var value))
            {
                parsed = value;
            }
            else
            {
                found.Add(new FieldError("cycle", $"cycle must be one of {string.Join(", ", BillingCycles.All.Select(c => c.ToText()))}"));
            }
        }

        request = found.Count == 0 ? new TermsChangeRequest(pricePlanId?.Trim(), seats, parsed) : null;
        errors = found;
        return request is not null;
    }
}

[GenerateSerializer, Alias("billing.TermsChangeOutcome")]
public enum TermsChangeOutcome
{
    Changed,
    PricePlanNotFound,

    /// <summary>The plan is priced in another currency than the customer is billed in.</summary>
    CurrencyMismatch,

    /// <summary>The open period has ended and waits for its close (the grace for late events); nothing changed.</summary>
    PeriodClosing,
}

[GenerateSerializer, Alias("billing.TermsChangeKind")]
public enum TermsChangeKind
{
    /// <summary>Plan and seats as they are (a scheduled downgrade is cancelled; a cycle change may still be made).</summary>
    None,

    /// <summary>Effective now; the proration lines wait for the open period's invoice.</summary>
    Upgrade,

    /// <summary>Effective when the open period ends: the next period opens with it.</summary>
    Downgrade,
}

/// <summary>
/// What a change did. <paramref name="EffectiveDate"/> is a local date in the customer's zone: the
/// day of an upgrade, the first day of the next period for a downgrade, null when plan and seats
/// stay. <paramref name="Cycle"/> is the cycle of the periods to come.
/// </summary>
[GenerateSerializer, Immutable, Alias("billing.TermsChange")]
public sealed record TermsChange(
    [property: Id(0)] TermsChangeKind Kind,
    [property: Id(1)] LocalDate? EffectiveDate,
    [property: Id(2)] IReadOnlyList<InvoiceLine> Lines,
    [property: Id(3)] BillingPeriod OpenPeriod,
    [property: Id(4)] string Cycle);

[GenerateSerializer, Immutable, Alias("billing.TermsChangeResult")]
public sealed record TermsChangeResult([property: Id(0)] TermsChangeOutcome Outcome, [property: Id(1)] string? Problem, [property: Id(2)] TermsChange? Change)
{
    public static TermsChangeResult Refused(TermsChangeOutcome outcome, string problem) => new(outcome, problem, null);

    public static TermsChangeResult Changed(TermsChange change) => new(TermsChangeOutcome.Changed, null, change);
}

/// <summary>A shop_billing row as a change writes it; a null plan is the default plan.</summary>
public sealed record ShopTermsUpdate(string? PricePlanId, int Seats, string? NextPricePlanId, int? NextSeats, string Cycle);
