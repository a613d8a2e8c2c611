using NodaTime;

namespace Billing.Domain;

/// <summary>
/// The payment standing of one billing period: its <see cref="PeriodStatus"/>, the due date once
/// invoiced, when it was paid, why it was waived, and how many whole local days it is overdue.
/// Immutable: each operation returns the next standing or throws
/// <see cref="InvalidPeriodTransitionException"/>; the transitions are those of
/// <see cref="PeriodStatuses.IsAllowed"/>, and an open (not yet invoiced) period can only be invoiced.
/// </summary>
public sealed record PeriodStanding
{
    public const int MaxWaiveReasonLength = 500;

    /// <summary>The API's name of the field holding a waive reason.</summary>
    public const string WaiveReasonField = "reason";

    private PeriodStanding(PeriodStatus status, string zoneId, LocalDate? dueDate, Instant? paidAt, string? waivedReason, int daysOverdue)
    {
        Zone = BillingPeriod.ZoneOf(zoneId);
        var inconsistency = Inconsistency(status, dueDate, paidAt, waivedReason, daysOverdue);
        if (inconsistency is not null)
        {
            throw new InvariantViolationException($"Inconsistent period standing (status {status}): {inconsistency}.");
        }

        Status = status;
        ZoneId = zoneId;
        DueDate = dueDate;
        PaidAt = paidAt;
        WaivedReason = waivedReason;
        DaysOverdue = daysOverdue;
    }

    public PeriodStatus Status { get; }

    /// <summary>The customer's zone, in which the due date ends and days overdue are counted.</summary>
    public string ZoneId { get; }

    public DateTimeZone Zone { get; }

    /// <summary>The last local day to pay on; null while the period is open (not yet invoiced).</summary>
    public LocalDate? DueDate { get; }

    public Instant? PaidAt { get; }

    public string? WaivedReason { get; }

    /// <summary>Whole local days past the due date as of the last <see cref="Refresh"/>; 0 unless overdue.</summary>
    public int DaysOverdue { get; }

    public bool IsOpen => DueDate is null;

    /// <summary>A period that is still accruing usage: pending, with no invoice yet.</summary>
    public static PeriodStanding Open(string zoneId) => new(PeriodStatus.Pending, zoneId, null, null, null, 0);

    /// <summary>Rebuilds a stored standing; throws <see cref="InvariantViolationException"/> if the values contradict each other.</summary>
    public static PeriodStanding Restore(
        PeriodStatus status, string zoneId, LocalDate? dueDate, Instant? paidAt, string? waivedReason, int daysOverdue) =>
        new(status, zoneId, dueDate, paidAt, waivedReason, daysOverdue);

    /// <summary>The rules for a waive reason: required, at most <see cref="MaxWaiveReasonLength"/> characters.</summary>
    public static IReadOnlyList<FieldError> ValidateWaiveReason(string? reason)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(new FieldError(WaiveReasonField, $"{WaiveReasonField} is required"));
        }
        else
        {
            FieldRules.CheckOptionalText(errors, WaiveReasonField, reason.Trim(), MaxWaiveReasonLength);
        }

        return errors;
    }

    /// <summary>The period's invoice was issued: it stays pending, now with a due date.</summary>
    public PeriodStanding MarkInvoiced(LocalDate dueDate)
    {
        if (!IsOpen)
        {
            throw new InvalidPeriodTransitionException(Status, PeriodStatus.Pending, $"it was already invoiced, due {DueDate:yyyy-MM-dd}");
        }

        return new(PeriodStatus.Pending, ZoneId, dueDate, null, null, 0);
    }

    public PeriodStanding MarkPaid(Instant at)
    {
        EnsureAllowed(PeriodStatus.Paid);
        return new(PeriodStatus.Paid, ZoneId, DueDate, at, null, 0);
    }

    /// <summary>Forgives the charges; the reason (trimmed) must pass <see cref="ValidateWaiveReason"/>.</summary>
    public PeriodStanding Waive(string reason)
    {
        EnsureAllowed(PeriodStatus.Waived);
        FieldRules.ThrowIfAny("waiver", [.. ValidateWaiveReason(reason)]);
        return new(PeriodStatus.Waived, ZoneId, DueDate, null, reason.Trim(), 0);
    }

    /// <summary>
    /// Brings the standing up to <paramref name="now"/>: an invoiced pending period whose due date
    /// has ended in the customer's zone becomes overdue; an overdue one counts its days again (never
    /// fewer than before, should a clock step back). Anything else is returned unchanged.
    /// </summary>
    public PeriodStanding Refresh(Instant now)
    {
        if (DueDate is not { } due || Status is not (PeriodStatus.Pending or PeriodStatus.Overdue))
        {
            return this;
        }

        var daysPastDue = Period.DaysBetween(due, now.InZone(Zone).Date);
        return daysPastDue > DaysOverdue
            ? new(PeriodStatus.Overdue, ZoneId, DueDate, null, null, daysPastDue)
            : this;
    }

    private void EnsureAllowed(PeriodStatus to)
    {
        if (Status.IsFinal())
        {
            throw new InvalidPeriodTransitionException(Status, to, $"{Status.ToText()} is final");
        }

        if (IsOpen)
        {
            throw new InvalidPeriodTransitionException(Status, to, "the period is still open (not invoiced)");
        }

        if (!PeriodStatuses.IsAllowed(Status, to))
        {
            throw new InvalidPeriodTransitionException(Status, to, "that transition is not allowed");
        }
    }

    private static string? Inconsistency(PeriodStatus status, LocalDate? dueDate, Instant? paidAt, string? waivedReason, int daysOverdue) =>
        !Enum.IsDefined(status) ? "unknown status"
        : status != PeriodStatus.Pending && dueDate is null ? "only an open period has no due date"
        : (status == PeriodStatus.Paid) != paidAt.HasValue ? "a paid-at instant belongs to paid periods only"
        : (status == PeriodStatus.Waived) != (waivedReason is not null) ? "a waive reason belongs to waived periods only"
        : waivedReason is not null && ValidateWaiveReason(waivedReason).Count > 0 ? "the waive reason is blank or too long"
        : status == PeriodStatus.Overdue ? (daysOverdue >= 1 ? null : "an overdue period is at least one day overdue")
        : daysOverdue != 0 ? "only an overdue period counts days overdue"
        : null;
}
