using Billing.Domain;
using Billing.Silo.Invoicing;
using NodaTime;

namespace Billing.Silo.Api.Invoicing;

/// <summary>
/// One billing period and where it stands (seed 000): <c>period_end</c> is its last day; due date,
/// invoice and total are null while it is open; <c>days_overdue</c> is 0 unless it is overdue.
/// <c>starts_at</c>..<c>ends_at</c> (end exclusive) are the instants it covers: its dates' midnights
/// in <c>time_zone</c>, except the start of the first period after the customer moved, which is
/// where the last period in the old zone ended.
/// </summary>
public sealed record PeriodResponse(
    string ShopId,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string TimeZone,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    bool IsCurrent,
    string Status,
    DateOnly? DueDate,
    int DaysOverdue,
    string? InvoiceId,
    string? InvoiceNumber,
    decimal? Total,
    string? Currency,
    DateTimeOffset? PaidAt,
    string? PaymentReference,
    string? WaivedReason)
{
    public static PeriodResponse From(PeriodStandingView view)
    {
        var (row, standing) = (view.Row, view.Standing);
        var total = row is { TotalMinor: { } minor, Currency: { } code } ? Money.FromMinorUnits(minor, Domain.Currency.Parse(code)).Amount : (decimal?)null;
        return new PeriodResponse(
            row.ShopId, row.Period.Start.ToDateOnly(), row.Period.LastDay.ToDateOnly(), row.Period.ZoneId,
            row.Period.StartInstant.ToDateTimeOffset(), row.Period.EndInstant.ToDateTimeOffset(), row.IsCurrent, standing.Status.ToText(), row.DueDate, standing.DaysOverdue,
            row.InvoiceId, row.InvoiceNumber, total, row.Currency, standing.PaidAt?.ToDateTimeOffset(), row.PaymentReference, standing.WaivedReason);
    }
}

public sealed record PeriodListResponse(IReadOnlyList<PeriodResponse> Periods);

/// <summary>The body of <c>POST /api/v1/admin/invoices/{id}/pay</c>; both fields optional (paid now, no reference).</summary>
public sealed record PaymentRequest(string? PaidAt, string? Reference)
{
    public const string ReferenceField = "reference";

    /// <summary>Every problem with the request; the paid-at instant when there is none (null: now).</summary>
    public (Instant? PaidAt, List<FieldError> Errors) Validate(Instant now)
    {
        var errors = new List<FieldError>();
        var paidAt = InputRules.ReadInstant(errors, "paid_at", PaidAt, now);
        InputRules.CheckText(errors, ReferenceField, Reference, PeriodStandingStore.MaxPaymentReferenceLength, required: false);
        return (paidAt, errors);
    }
}

/// <summary>The body of <c>POST /api/v1/admin/invoices/{id}/waive</c>.</summary>
public sealed record WaiverRequest(string? Reason);
